using Microsoft.CodeAnalysis.CSharp;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Tests.Package;

namespace XeLocked.Analyzers.Tests.Architecture;

/// <summary>The analyzer's folders are layers used in one direction only (see the "Architecture" section of docs/analysis.md).</summary>
[TestClass]
public sealed class LayeringTests
{
    [TestMethod]
    public void AnalyzerNamespacesUseOnlyTheirOwnOrLowerLayers()
    {
        var trees = LayerCheck.AnalyzerSources(RepositoryRoot.Find());
        Assert.IsTrue(trees.Count > 50, $"only {trees.Count} analyzer source files found");

        var violations = LayerCheck.Violations(trees, LayerCheck.References());

        Assert.AreEqual(0, violations.Count, "back-references between analyzer layers:\n" + string.Join("\n", violations));
    }

    [TestMethod]
    public void BackReferencesAreFound()
    {
        var trees = new[]
        {
            CSharpSyntaxTree.ParseText("""
                namespace XeLocked.Analyzers.Shared
                {
                    internal static class Low
                    {
                        public static int Qualified() => XeLocked.Analyzers.Rules.High.Value;
                    }
                }
                """, path: "Low.cs"),
            CSharpSyntaxTree.ParseText("""
                using XeLocked.Analyzers.Dataflow;
                namespace XeLocked.Analyzers.Contracts
                {
                    internal static class Middle
                    {
                        public static object Imported() => new Flow();
                    }
                }
                """, path: "Middle.cs"),
            CSharpSyntaxTree.ParseText("""
                using XeLocked.Analyzers.Shared;
                namespace XeLocked.Analyzers.Dataflow
                {
                    internal sealed class Flow { public int Down() => Low.Qualified(); }
                }
                namespace XeLocked.Analyzers.Rules
                {
                    internal static class High { public const int Value = 1; }
                }
                """, path: "High.cs"),
        };

        var violations = LayerCheck.Violations(trees, LayerCheck.References());

        CollectionAssert.AreEquivalent(
            new[]
            {
                "Low.cs(5): XeLocked.Analyzers.Shared uses XeLocked.Analyzers.Rules (Rules), a higher layer",
                "Low.cs(5): XeLocked.Analyzers.Shared uses XeLocked.Analyzers.Rules (High), a higher layer",
                "Low.cs(5): XeLocked.Analyzers.Shared uses XeLocked.Analyzers.Rules (Value), a higher layer",
                "Middle.cs(1): XeLocked.Analyzers.Contracts uses XeLocked.Analyzers.Dataflow (Dataflow), a higher layer",
                "Middle.cs(6): XeLocked.Analyzers.Contracts uses XeLocked.Analyzers.Dataflow (Flow), a higher layer",
            },
            violations.ToList(),
            string.Join("\n", violations));
    }

    [TestMethod]
    public void NamespacesOutsideTheLayerTableAreReported()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            namespace XeLocked.Analyzers.Elsewhere { internal static class Stray { public const int Value = 1; } }
            namespace XeLocked.Analyzers.Rules { internal static class User { public static int Use() => XeLocked.Analyzers.Elsewhere.Stray.Value; } }
            """, path: "Stray.cs");

        var violations = LayerCheck.Violations(new[] { tree }, LayerCheck.References());

        Assert.IsTrue(violations.Count > 0 && violations.All(v => v.Contains("namespace XeLocked.Analyzers.Elsewhere is in no layer")),
            string.Join("\n", violations));
    }
}
