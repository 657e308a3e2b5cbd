namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// The XeLocked package packed from this checkout into a local folder feed, the way a user (or
/// a release) makes it: <c>dotnet pack analyzers/XeLocked.Package -c Release</c>.
/// </summary>
/// <remarks>
/// The pack builds the payload projects into an artifacts folder under the test's temp
/// directory (<c>--artifacts-path</c>), so it neither writes into the repository's bin/obj nor
/// races with the build that produced the running tests. The version is unique per run
/// (<c>0.1.0-test.&lt;utc time&gt;.&lt;pid&gt;</c>): a re-packed version number would be
/// shadowed by any NuGet cache that already holds it.
/// </remarks>
internal sealed class PackedXeLocked
{
    private PackedXeLocked(string version, string feedDirectory, string packagePath, DotnetResult packRun)
    {
        Version = version;
        FeedDirectory = feedDirectory;
        PackagePath = packagePath;
        PackRun = packRun;
    }

    /// <summary>The package version of this run.</summary>
    public string Version { get; }

    /// <summary>The local folder feed holding the package.</summary>
    public string FeedDirectory { get; }

    /// <summary>Full path of <c>XeLocked.&lt;version&gt;.nupkg</c>.</summary>
    public string PackagePath { get; }

    /// <summary>The <c>dotnet pack</c> run, for diagnostics.</summary>
    public DotnetResult PackRun { get; }

    /// <summary>
    /// Packs the repository's XeLocked.Package project into <paramref name="feedDirectory"/>;
    /// throws with the full pack output if it fails.
    /// </summary>
    public static async Task<PackedXeLocked> PackAsync(
        string repositoryRoot, string feedDirectory, string artifactsDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var project = Path.Combine(repositoryRoot, "analyzers", "XeLocked.Package", "XeLocked.Package.csproj");
        var run = await DotnetCli.RunAsync(
            repositoryRoot,
            [
                "pack", project,
                "-c", "Release",
                "-o", feedDirectory,
                "--artifacts-path", artifactsDirectory,
                $"-p:Version={version}",
                // Packages come from the NuGet cache the solution's own restore filled; no
                // vulnerability-data download (the test must not need the network).
                "-p:NuGetAudit=false",
                "--disable-build-servers",
                "-tl:off",
                "-nologo",
            ],
            new Dictionary<string, string?>(),
            timeout,
            cancellationToken).ConfigureAwait(false);

        var packagePath = Path.Combine(feedDirectory, $"XeLocked.{version}.nupkg");
        if (run.ExitCode != 0 || !File.Exists(packagePath))
        {
            throw new InvalidOperationException($"dotnet pack did not produce {packagePath}.\n{run}");
        }

        return new PackedXeLocked(version, feedDirectory, packagePath, run);
    }
}
