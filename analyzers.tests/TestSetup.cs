using Microsoft.VisualStudio.TestTools.UnitTesting;

[assembly: Parallelize(Workers = 0, Scope = ExecutionScope.MethodLevel)]

namespace XeLocked.Analyzers.Tests;

/// <summary>Makes analyzer exceptions fail the tests instead of being swallowed (see AnalyzerGuard).</summary>
[TestClass]
public static class TestSetup
{
    [AssemblyInitialize]
    public static void Initialize(TestContext context) => XeLocked.Analyzers.Shared.AnalyzerGuard.Rethrow = true;
}
