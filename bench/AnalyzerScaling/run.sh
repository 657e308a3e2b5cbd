#!/usr/bin/env bash
# Analyzer-scaling benchmark (not a test): generates a lock-heavy C# project of N files outside the
# repository, then times `dotnet build` of it without and with the XeLocked analyzer, for N and 2N
# files. Prints the with/without ratio for each size and the growth of the analyzed build time when
# the project doubles (near-linear means about 2.0).
#
# usage: bench/AnalyzerScaling/run.sh [files=500] [work-dir=$TMPDIR/xelocked-scaling] [repeats=3]
#
# Each timing is the best of `repeats` Release builds (the analyzer as shipped is a Release build)
# with --no-incremental --no-dependencies (the analyzer and annotation projects are built once
# beforehand), -nodeReuse:false and without the shared compiler server, so every build pays the
# same compiler start-up and no process is left behind. The analyzer's own share is also printed
# from the compiler's -p:ReportAnalyzer=true summary (less sensitive to machine load).
set -euo pipefail

files=${1:-500}
work=${2:-${TMPDIR:-/tmp}/xelocked-scaling}
repeats=${3:-3}
repo=$(cd "$(dirname "$0")/../.." && pwd)
analyzer="$repo/analyzers/XeLocked.Analyzers/XeLocked.Analyzers.csproj"
annotations="$repo/runtime/XeLocked.Annotations/XeLocked.Annotations.csproj"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1

generate() { # $1 = dir, $2 = number of files
  local dir=$1 n=$2
  rm -rf "$dir" && mkdir -p "$dir"
  cat > "$dir/Scaling.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <NoWarn>\$(NoWarn);CS0169;CS0414;CS0649</NoWarn>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="$annotations" />
    <ProjectReference Include="$analyzer" OutputItemType="Analyzer" ReferenceOutputAssembly="false" Condition="'\$(UseXeLocked)' == 'true'" />
  </ItemGroup>
</Project>
XML
  cat > "$dir/Primitives.cs" <<'CS'
using XeLocked.Annotations;
namespace Scaling;
[LockPrimitive(LockKind.ReaderWriter)]
public sealed class RwSem
{
    [Acquires("this:read")] public void LockRead() { }
    [Acquires("this:write")] public void LockWrite() { }
    [Releases("this:read")] public void UnlockRead() { }
    [Releases("this:write")] public void UnlockWrite() { }
    [TryAcquires(true, "this:read")] public bool TryLockRead() => true;
    [Acquires("this:read")] public ReadGuard ReadGuard() { LockRead(); return new ReadGuard(this); }
}
[ScopedLock]
public readonly struct ReadGuard : IDisposable
{
    private readonly RwSem _s;
    public ReadGuard(RwSem s) => _s = s;
    public void Dispose() => _s.UnlockRead();
}
CS
  for ((i = 0; i < n; i++)); do
    cat > "$dir/Service$i.cs" <<CS
using XeLocked.Annotations;
namespace Scaling;
public sealed class Range$i { public readonly object Lock = new(); [GuardedBy("Lock")] public int Pages; }
public sealed class Service$i
{
    [LockOrder(Before = new[] { "Range$i.Lock" })] private readonly RwSem _vmLock = new();
    private readonly Lock _statsLock = new();
    private readonly List<Range$i> _ranges = new();
    [GuardedBy("_vmLock")] private int _mapped;
    [GuardedBy("_statsLock")] private long _faults;
    private int _plain;

    public int Fault(Range$i range, int address, bool retry)
    {
    again:
        _vmLock.LockRead();
        if (retry && _mapped < 0) { retry = false; _vmLock.UnlockRead(); goto again; }
        try
        {
            lock (range.Lock)
            {
                if (range.Pages > address) { return range.Pages; }
                range.Pages += Compute(address);
            }

            return Lookup(address);
        }
        finally
        {
            if (_vmLock != null) { }
            _vmLock.UnlockRead();
            lock (_statsLock) { _faults++; }
        }
    }

    [Requires("_vmLock:read")]
    private int Lookup(int address)
    {
        var total = 0;
        foreach (var r in _ranges) { total += address ^ _mapped; }
        for (var k = 0; k < 8; k++) { total = (total * 31 + k) % 1000003; }
        return total;
    }

    public void Map(int n)
    {
        _vmLock.LockWrite();
        try { for (var k = 0; k < n; k++) { _mapped++; } }
        finally { _vmLock.UnlockWrite(); }
    }

    public int Snapshot() { using (_vmLock.ReadGuard()) { return _mapped + _ranges.Count; } }

    public bool TryPeek(out int value)
    {
        value = 0;
        if (!_vmLock.TryLockRead()) { return false; }
        value = _mapped;
        _vmLock.UnlockRead();
        return true;
    }

    private static int Compute(int x)
    {
        var s = 0;
        for (var k = 0; k < x % 17; k++) { s += k * k; }
        return s switch { > 100 => s / 3, < 10 => s + 1, _ => s };
    }

    public string Describe() => string.Join(",", Enumerable.Range(0, 4).Select(k => (k + _plain).ToString()));
}
CS
  done
}

build_time() { # $1 = dir, $2 = true|false ; prints best seconds
  local best=""
  for ((r = 0; r < repeats; r++)); do
    local start end t
    start=$(date +%s.%N)
    dotnet build "$1/Scaling.csproj" -c Release --no-incremental --no-dependencies -nodeReuse:false \
      -p:UseSharedCompilation=false -p:UseXeLocked="$2" -p:ReportAnalyzer=true -v:d -nologo > "$1/build-$2.log" 2>&1 \
      || { echo "build failed ($1, analyzer=$2):" >&2; tail -20 "$1/build-$2.log" >&2; exit 1; }
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [[ -z "$best" ]] || (( $(echo "$t < $best" | bc) )); then best=$t; fi
  done
  if grep -qE "(error|warning) XL0" "$1/build-$2.log"; then echo "unexpected XL diagnostics in $1/build-$2.log" >&2; exit 1; fi
  echo "$best"
}

declare -A t
for n in "$files" $((files * 2)); do
  dir="$work/n$n"
  generate "$dir" "$n"
  # Restore and build the referenced projects once, with the analyzer on.
  dotnet build "$dir/Scaling.csproj" -c Release -nodeReuse:false -p:UseSharedCompilation=false -p:UseXeLocked=true -v:q -nologo > "$dir/warmup.log" 2>&1 \
    || { tail -20 "$dir/warmup.log" >&2; exit 1; }
  t[$n,false]=$(build_time "$dir" false)
  t[$n,true]=$(build_time "$dir" true)
  printf '%5d files: without %6.2fs  with %6.2fs  ratio %.3f\n' "$n" "${t[$n,false]}" "${t[$n,true]}" \
    "$(echo "${t[$n,true]} / ${t[$n,false]}" | bc -l)"
  # The compiler's own account of analyzer time in the last analyzed build (XeLocked vs all analyzers).
  grep -E "Total analyzer execution time|XeLocked.Analyzers, Version" "$dir/build-true.log" | head -2 | sed 's/^ */      /' || true
done

double=$((files * 2))
printf 'doubling %d -> %d files: build time x%.2f without, x%.2f with the analyzer; analyzer overhead x%.2f\n' \
  "$files" "$double" \
  "$(echo "${t[$double,false]} / ${t[$files,false]}" | bc -l)" \
  "$(echo "${t[$double,true]} / ${t[$files,true]}" | bc -l)" \
  "$(echo "(${t[$double,true]} - ${t[$double,false]}) / (${t[$files,true]} - ${t[$files,false]})" | bc -l)"
