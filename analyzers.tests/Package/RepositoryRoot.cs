namespace XeLocked.Analyzers.Tests.Package;

/// <summary>Locates the XeLocked repository the tests were built from.</summary>
internal static class RepositoryRoot
{
    /// <summary>
    /// The nearest directory above the test assembly that holds <c>XeLocked.sln</c>; the test
    /// binaries live under <c>analyzers.tests/bin/...</c> of that checkout.
    /// </summary>
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "XeLocked.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"XeLocked.sln not found above '{AppContext.BaseDirectory}': the package tests must run from a build inside the repository.");
    }
}
