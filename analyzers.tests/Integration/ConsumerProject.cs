using XeLocked.Analyzers.Tests.Package;

namespace XeLocked.Analyzers.Tests.Integration;

/// <summary>
/// A throwaway consumer project in a temporary folder outside the repository (so it inherits none
/// of the repository's props): <c>Consumer.csproj</c> (net10.0, nullable on) references the
/// analyzer project as an analyzer and the annotations project, as a consumer's build sees them.
/// The folder is deleted on <see cref="Dispose"/>.
/// </summary>
internal sealed class ConsumerProject : IDisposable
{
    /// <summary>The longest one <c>dotnet</c> call may take; the test's own timeout cancels sooner.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(5);

    private readonly DirectoryInfo _folder;

    private ConsumerProject(DirectoryInfo folder) => _folder = folder;

    /// <summary>The project's folder.</summary>
    public string Folder => _folder.FullName;

    /// <summary>
    /// Creates the folder (named <paramref name="prefix"/> and a random suffix) and its
    /// <c>Consumer.csproj</c>, with <paramref name="properties"/> (MSBuild property elements)
    /// added to its property group.
    /// </summary>
    public static ConsumerProject Create(string prefix, string properties = "")
    {
        var repo = RepositoryRoot.Find();
        var analyzerProject = Path.Combine(repo, "analyzers", "XeLocked.Analyzers", "XeLocked.Analyzers.csproj");
        var annotationsProject = Path.Combine(repo, "runtime", "XeLocked.Annotations", "XeLocked.Annotations.csproj");
        var project = new ConsumerProject(Directory.CreateTempSubdirectory(prefix));
        project.Write("Consumer.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                {properties}
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{analyzerProject}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
                <ProjectReference Include="{annotationsProject}" />
              </ItemGroup>
            </Project>
            """);
        return project;
    }

    /// <summary>Writes (or overwrites) <paramref name="relativePath"/> in the project's folder; returns its full path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = Path.Combine(Folder, relativePath);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// <c>dotnet build --no-incremental</c> of the project, with no build server or node left
    /// behind and no shared compiler (the analyzer as just built is loaded), then <paramref name="arguments"/>.
    /// </summary>
    public Task<DotnetResult> BuildAsync(CancellationToken cancellationToken, params string[] arguments) =>
        DotnetAsync(cancellationToken, ["build", "--no-incremental", "-nodeReuse:false", "-p:UseSharedCompilation=false", .. arguments]);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in the project's folder.</summary>
    public Task<DotnetResult> DotnetAsync(CancellationToken cancellationToken, params string[] arguments) =>
        DotnetCli.RunAsync(Folder, arguments, new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1" }, CallTimeout, cancellationToken);

    /// <summary>Deletes the folder; a leftover temporary folder is harmless.</summary>
    public void Dispose()
    {
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }
}
