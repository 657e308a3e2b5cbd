namespace XeLocked.Analyzers.Tests.Package;

/// <summary>One <c>dotnet build</c> of a sample copy: the run, its parsed diagnostics, its SARIF log.</summary>
/// <param name="Run">The build process result.</param>
/// <param name="Diagnostics">Distinct diagnostics from the console output.</param>
/// <param name="Sarif">The compiler's SARIF 2.1 log; null when the compiler never ran (e.g. restore failed).</param>
internal sealed record SampleBuild(DotnetResult Run, IReadOnlyList<BuildDiagnostic> Diagnostics, SarifLog? Sarif)
{
    /// <summary>The diagnostics whose ID starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<BuildDiagnostic> WithIdPrefix(string prefix) =>
        Diagnostics.Where(d => d.Id.StartsWith(prefix, StringComparison.Ordinal)).ToList();
}

/// <summary>
/// A private copy of <c>samples/InventoryService</c> in the test's temp directory, restored
/// from the test's folder feed into an isolated NuGet packages folder and built as a user
/// would build it.
/// </summary>
/// <remarks>
/// Copies live at <c>&lt;work&gt;/samples/&lt;name&gt;</c> and the feed at <c>&lt;work&gt;/.feed</c>,
/// the same relative layout as in the repository, so the sample's own <c>nuget.config</c>
/// (<c>../../.feed</c>) is used unchanged.
/// </remarks>
internal sealed class SampleConsumer
{
    /// <summary>The sample's folder in the repository, relative to the root.</summary>
    public const string SampleRelativePath = "samples/InventoryService";

    private SampleConsumer(string directory) => Directory = directory;

    /// <summary>The copy's project directory.</summary>
    public string Directory { get; }

    /// <summary>Copies the sample (without any bin/obj) to <c>&lt;workDirectory&gt;/samples/&lt;name&gt;</c>.</summary>
    public static SampleConsumer Create(string repositoryRoot, string workDirectory, string name)
    {
        var source = Path.Combine(repositoryRoot, SampleRelativePath);
        var target = Path.Combine(workDirectory, "samples", name);
        CopyTree(new DirectoryInfo(source), target);
        return new SampleConsumer(target);
    }

    /// <summary>Appends lines to the copy's <c>.editorconfig</c> (the sample's one says <c>root = true</c>).</summary>
    public void AppendEditorConfig(string text) =>
        File.AppendAllText(Path.Combine(Directory, ".editorconfig"), Environment.NewLine + text + Environment.NewLine);

    /// <summary>
    /// Adds <paramref name="analyzerPath"/> as one more analyzer of the copy (through a
    /// Directory.Build.targets beside the project), as a second package would.
    /// </summary>
    public void AddAnalyzer(string analyzerPath) =>
        File.WriteAllText(
            Path.Combine(Directory, "Directory.Build.targets"),
            $"""
            <Project>
              <ItemGroup>
                <Analyzer Include="{analyzerPath}" />
              </ItemGroup>
            </Project>
            """);

    /// <summary>
    /// Where <paramref name="token"/> stands on the one line of <paramref name="relativeFile"/>
    /// that contains <paramref name="marker"/>: (full path, 1-based line, 1-based column).
    /// </summary>
    public (string File, int Line, int Column) Locate(string relativeFile, string marker, string token)
    {
        var path = Path.Combine(Directory, relativeFile);
        var lines = File.ReadAllLines(path);
        var hits = Enumerable.Range(0, lines.Length).Where(i => lines[i].Contains(marker, StringComparison.Ordinal)).ToList();
        if (hits.Count != 1)
        {
            throw new InvalidOperationException($"{path}: expected exactly one line containing '{marker}', found {hits.Count}.");
        }

        int column = lines[hits[0]].IndexOf(token, StringComparison.Ordinal);
        if (column < 0)
        {
            throw new InvalidOperationException($"{path}({hits[0] + 1}): '{token}' is not on the marked line.");
        }

        return (path, hits[0] + 1, column + 1);
    }

    /// <summary>
    /// <c>dotnet build --no-incremental</c> of the copy against <paramref name="package"/>, restoring
    /// into <paramref name="packagesFolder"/> (NUGET_PACKAGES), with a SARIF 2.1 error log.
    /// <paramref name="extraProperties"/> are passed as <c>-p:</c> arguments.
    /// </summary>
    public async Task<SampleBuild> BuildAsync(
        PackedXeLocked package,
        string packagesFolder,
        IReadOnlyDictionary<string, string> extraProperties,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var sarifPath = Path.Combine(Directory, "obj", "xelocked-test.sarif");
        if (File.Exists(sarifPath))
        {
            File.Delete(sarifPath);
        }

        var arguments = new List<string>
        {
            "build", Path.Combine(Directory, "InventoryService.csproj"),
            "--no-incremental",
            "-c", "Debug",
            $"-p:XeLockedVersion={package.Version}",
            // No vulnerability-data download from nuget.org during restore: the test needs no
            // network (the only package comes from the local feed) and must not fail with NU1900
            // on a machine that cannot reach nuget.org.
            "-p:NuGetAudit=false",
            // "%2C" is MSBuild's escape for the comma csc expects in /errorlog:file,version=2.1.
            $"-p:ErrorLog={sarifPath}%2Cversion=2.1",
            "--disable-build-servers",
            "-tl:off",
            "-nologo",
        };
        arguments.AddRange(extraProperties.Select(p => $"-p:{p.Key}={p.Value}"));

        var run = await DotnetCli.RunAsync(
            Directory,
            arguments,
            new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packagesFolder },
            timeout,
            cancellationToken).ConfigureAwait(false);

        return new SampleBuild(run, BuildDiagnostic.Parse(run.Output), File.Exists(sarifPath) ? SarifLog.Load(sarifPath) : null);
    }

    /// <summary>Runs the built sample (<c>dotnet bin/Debug/net10.0/InventoryService.dll</c>).</summary>
    public Task<DotnetResult> RunAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        DotnetCli.RunAsync(
            Directory,
            [Path.Combine(OutputDirectory, "InventoryService.dll")],
            new Dictionary<string, string?>(),
            timeout,
            cancellationToken);

    /// <summary>The Debug output folder of the copy.</summary>
    public string OutputDirectory => Path.Combine(Directory, "bin", "Debug", "net10.0");

    private static void CopyTree(DirectoryInfo source, string target)
    {
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in source.EnumerateFiles())
        {
            file.CopyTo(Path.Combine(target, file.Name));
        }

        foreach (var dir in source.EnumerateDirectories())
        {
            if (dir.Name is "bin" or "obj")
            {
                continue;
            }

            CopyTree(dir, Path.Combine(target, dir.Name));
        }
    }
}
