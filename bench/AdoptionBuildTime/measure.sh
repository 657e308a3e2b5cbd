#!/usr/bin/env bash
# Adoption build-time benchmark (not a test): times `dotnet build --no-incremental` of an existing
# project WITH and WITHOUT the XeLocked analyzer, interleaved, and prints the medians and their
# ratio. Nothing in the project's tree is edited: the analyzer is switched off (or the package
# added) by a small MSBuild file written to a temporary folder and imported through the standard
# CustomAfterMicrosoftCommonTargets hook, passed on the command line.
#
# usage: bench/AdoptionBuildTime/measure.sh <project.csproj> [runs=5] [-- extra dotnet build args]
#
#   The project must reference the XeLocked package already (as it would after adoption). Then
#   "with" is its ordinary build and "without" is the same build with the XeLocked analyzer
#   assemblies removed from @(Analyzer) just before the compiler runs (every other analyzer of the
#   project stays), so the ratio is XeLocked's cost alone.
#
#   XELOCKED_VERSION=<v> XELOCKED_FEED=<folder> measure.sh ...
#   adds `<PackageReference Include="XeLocked" Version="<v>"/>` and the folder as a restore source
#   through the same imported file, for a project that does not reference it. (A nuget.config with
#   package source mapping that does not map XeLocked to that folder makes the restore fail: add
#   the mapping, or reference the package in the project instead.)
#
# Each configuration is restored once, built once to warm up (not counted), then built `runs` times,
# alternating with/without so that machine load hits both alike. Every build is Release,
# --no-restore --no-incremental, -nodeReuse:false and without the shared compiler server, so each
# pays the same compiler start-up and leaves no process behind. The warm-up "with" build
# passes -p:ReportAnalyzer=true and the script prints the compiler's own account of XeLocked's
# execution time (less sensitive to load than wall time). It checks, on the compiler command lines of the
# warm-up builds, that "with" passes XeLocked.Analyzers.dll to the compiler and "without" does not.
set -euo pipefail

if [[ $# -lt 1 || ! -f $1 ]]; then
  sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi
project=$(cd "$(dirname "$1")" && pwd)/$(basename "$1"); shift
runs=5
if [[ $# -gt 0 && $1 != -- ]]; then runs=$1; shift; fi
[[ $# -gt 0 && $1 == -- ]] && shift
extra=("$@")

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1
work=$(mktemp -d "${TMPDIR:-/tmp}/xelocked-adoption.XXXXXX")
trap '[[ -n ${KEEP_LOGS:-} ]] && echo "logs kept in $work" || rm -rf "$work"' EXIT

cat > "$work/XeLockedBench.targets" <<'XML'
<Project>
  <!-- Optional: add the package (restore sees this item, since this file is imported at evaluation). -->
  <ItemGroup Condition="'$(XeLockedBenchVersion)' != ''">
    <PackageReference Include="XeLocked" Version="$(XeLockedBenchVersion)" />
  </ItemGroup>
  <PropertyGroup Condition="'$(XeLockedBenchFeed)' != ''">
    <RestoreAdditionalProjectSources>$(RestoreAdditionalProjectSources);$(XeLockedBenchFeed)</RestoreAdditionalProjectSources>
  </PropertyGroup>
  <!-- Findings must not stop the build (a failed compile skips the steps after it and would look
       faster): XL rules are made warnings, and not errors under TreatWarningsAsErrors. The
       analyzer does the same work whatever the severity. -->
  <PropertyGroup>
    <WarningsNotAsErrors>$(WarningsNotAsErrors);XL0001;XL0002;XL0003;XL0004;XL0005;XL0006;XL0007;XL0008;XL0009;XL0010;XL0011;XL0012;XL0013;XL0014;XL0015;XL0016</WarningsNotAsErrors>
  </PropertyGroup>
  <ItemGroup>
    <EditorConfigFiles Include="$(MSBuildThisFileDirectory)xl-as-warnings.globalconfig" />
  </ItemGroup>
  <!-- "without": drop XeLocked's analyzer assemblies (and only them) before the compiler runs. -->
  <Target Name="_XeLockedBenchRemoveAnalyzer" BeforeTargets="CoreCompile" Condition="'$(XeLockedBenchDisable)' == 'true'">
    <ItemGroup>
      <Analyzer Remove="@(Analyzer)" Condition="'%(Filename)' == 'XeLocked.Analyzers' or '%(Filename)' == 'XeLocked.CodeFixes'" />
    </ItemGroup>
  </Target>
</Project>
XML

{ echo "is_global = true"; echo "global_level = 10000"
  for i in $(seq 1 30); do printf 'dotnet_diagnostic.XL%04d.severity = warning\n' "$i"; done
} > "$work/xl-as-warnings.globalconfig"

common=(-c Release -nodeReuse:false -p:UseSharedCompilation=false
        "-p:CustomAfterMicrosoftCommonTargets=$work/XeLockedBench.targets")
if [[ -n ${XELOCKED_VERSION:-} ]]; then
  common+=("-p:XeLockedBenchVersion=$XELOCKED_VERSION")
  [[ -n ${XELOCKED_FEED:-} ]] && common+=("-p:XeLockedBenchFeed=$(cd "$XELOCKED_FEED" && pwd)")
fi
config_args() { # $1 = with|without
  if [[ $1 == with ]]; then echo "-p:XeLockedBenchDisable=false -v:m"
  elif [[ $1 == report ]]; then echo "-p:XeLockedBenchDisable=false -p:ReportAnalyzer=true -v:d"
  elif [[ $1 == without-check ]]; then echo "-p:XeLockedBenchDisable=true -v:d"
  else echo "-p:XeLockedBenchDisable=true -v:m"; fi
}

build() { # $1 = with|without, $2 = log file; prints seconds
  local start end
  start=$(date +%s.%N)
  # shellcheck disable=SC2046
  if ! dotnet build "$project" --no-restore --no-incremental "${common[@]}" $(config_args "$1") \
       "${extra[@]}" > "$2" 2>&1; then
    echo "build ($1) failed:" >&2; grep -E " error " "$2" | sort -u | head -20 >&2; exit 1
  fi
  end=$(date +%s.%N)
  echo "$start $end" | awk '{ printf "%.2f", $2 - $1 }'
}

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

echo "project: $project"
echo "runs: $runs (after one warm-up build each), extra args: ${extra[*]:-none}"
dotnet restore "$project" "${common[@]:2}" "${extra[@]}" > "$work/restore.log" 2>&1 \
  || { echo "restore failed:" >&2; tail -20 "$work/restore.log" >&2; exit 1; }

# Warm-up builds (not timed), at detailed verbosity to see the compiler's command line: the "with"
# one must pass XeLocked.Analyzers.dll to the compiler, the "without" one must not. The "with" one
# also carries the compiler's per-analyzer time report.
build report "$work/report.log" > /dev/null
if ! grep -q "/analyzer:[^ ]*XeLocked.Analyzers.dll" "$work/report.log"; then
  echo "the 'with' build did not load XeLocked.Analyzers: does the project reference the XeLocked package?" >&2
  exit 1
fi
build without-check "$work/warm-without.log" > /dev/null
if grep -q "/analyzer:[^ ]*XeLocked.Analyzers.dll" "$work/warm-without.log"; then
  echo "the 'without' build still passed XeLocked.Analyzers.dll to the compiler" >&2; exit 1
fi

: > "$work/with.txt"; : > "$work/without.txt"
for ((i = 1; i <= runs; i++)); do
  w=$(build with "$work/with-$i.log"); o=$(build without "$work/without-$i.log")
  echo "$w" >> "$work/with.txt"; echo "$o" >> "$work/without.txt"
  printf 'run %d: with %6.2f s  without %6.2f s\n' "$i" "$w" "$o"
done
mw=$(median < "$work/with.txt"); mo=$(median < "$work/without.txt")
xlcount=$(grep -ohE "(error|warning) XL0[0-9]+" "$work/with-1.log" | sort -u | wc -l || true)
echo "median: with $mw s, without $mo s, ratio $(awk -v a="$mw" -v b="$mo" 'BEGIN { printf "%.2f", a / b }')"
echo "compiler's analyzer report (the warm-up build; seconds, summed over the analyzer's threads):"
# The total, XeLocked's line and its per-analyzer lines (the first report of the build).
awk '/Total analyzer execution time/ && !t { t = 1; print } t && /XeLocked\.Analyzers/ { print } t && /^ *$/ && seen { exit } /XeLocked\.Analyzers, Version/ { seen = 1 }' \
  "$work/report.log" | sed 's/^ */  /' || true
echo "distinct XL diagnostics ids in the 'with' build: $xlcount"
