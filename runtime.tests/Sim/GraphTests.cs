using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Sim.Graph;

namespace XeLocked.Runtime.Tests.Sim;

[TestClass]
public sealed class GraphTests
{
    private static LockHierarchy Fixture()
    {
        // Only the fixture's types: read the test assembly and keep the fixture's classes.
        var all = LockHierarchyReader.Read(typeof(GraphFixture.Outer).Assembly);
        string[] mine = ["Outer.Lock", "Middle.Lock", "Inner.Lock", "Lonely.Mutex"];
        return new LockHierarchy(all.Classes.Where(mine.Contains), all.Edges.Where(e => mine.Contains(e.Outer)));
    }

    [TestMethod]
    public void ReaderFindsLockClassesAndDeclaredEdges()
    {
        var h = Fixture();
        CollectionAssert.AreEqual(new[] { "Inner.Lock", "Lonely.Mutex", "Middle.Lock", "Outer.Lock" }, h.Classes.ToArray());
        // Outer->Middle is declared twice (Before on Outer, After on Middle): one edge.
        CollectionAssert.AreEqual(
            new[] { new LockEdge("Middle.Lock", "Inner.Lock", EdgeOrigin.Declared), new LockEdge("Outer.Lock", "Middle.Lock", EdgeOrigin.Declared) },
            h.Edges.ToArray());
    }

    [TestMethod]
    public void ReaderIgnoresFieldsThatAreNotLocks()
    {
        var all = LockHierarchyReader.Read(typeof(GraphFixture.Outer).Assembly);
        Assert.IsFalse(all.Classes.Contains("Middle.NotALock"));
    }

    [TestMethod]
    public void ReaderDrawsTheOrderTheTrackerReads()
    {
        // The declared edges are the run-time tracker's, qualified names ("...GraphFixture.Inner.Lock") keyed alike.
        var asm = typeof(GraphFixture.Outer).Assembly;
        var tracker = XeLocked.Locking.DeclaredOrder.Read(asm).Edges.Select(e => new LockEdge(e.Outer, e.Inner, EdgeOrigin.Declared));
        CollectionAssert.AreEquivalent(tracker.Distinct().ToArray(), LockHierarchyReader.Read(asm).Edges.ToArray());
        Assert.IsTrue(LockHierarchyReader.Read(asm).Edges.Contains(new LockEdge("Middle.Lock", "Inner.Lock", EdgeOrigin.Declared)));
    }

    [TestMethod]
    public void ObservedEdgesAreClassifiedAgainstTheDeclaredOrder()
    {
        var h = Fixture().WithObserved(new[]
        {
            ("Outer.Lock", "Middle.Lock"),   // declared
            ("Outer.Lock", "Inner.Lock"),    // implied through Middle
            ("Inner.Lock", "Outer.Lock"),    // against the order
            ("Lonely.Mutex", "Inner.Lock"),  // no order declared
            ("Inner.Lock", "Inner.Lock"),    // same class: not an edge
        });
        var byPair = h.Edges.ToDictionary(e => (e.Outer, e.Inner), e => e.Origin);
        Assert.AreEqual(EdgeOrigin.DeclaredAndObserved, byPair[("Outer.Lock", "Middle.Lock")]);
        Assert.AreEqual(EdgeOrigin.Declared, byPair[("Middle.Lock", "Inner.Lock")]);
        Assert.AreEqual(EdgeOrigin.ObservedImplied, byPair[("Outer.Lock", "Inner.Lock")]);
        Assert.AreEqual(EdgeOrigin.ObservedInverted, byPair[("Inner.Lock", "Outer.Lock")]);
        Assert.AreEqual(EdgeOrigin.ObservedUndeclared, byPair[("Lonely.Mutex", "Inner.Lock")]);
        Assert.IsFalse(byPair.ContainsKey(("Inner.Lock", "Inner.Lock")));
    }

    [TestMethod]
    public void MermaidRendering()
    {
        var text = MermaidRenderer.Render(Fixture().WithObserved(new[] { ("Lonely.Mutex", "Inner.Lock") }));
        Assert.AreEqual(
            "flowchart TD\n" +
            "    Inner_Lock[\"Inner.Lock\"]\n" +
            "    Lonely_Mutex[\"Lonely.Mutex\"]\n" +
            "    Middle_Lock[\"Middle.Lock\"]\n" +
            "    Outer_Lock[\"Outer.Lock\"]\n" +
            "    Lonely_Mutex -.->|undeclared| Inner_Lock\n" +
            "    Middle_Lock --> Inner_Lock\n" +
            "    Outer_Lock --> Middle_Lock\n",
            text);
    }

    [TestMethod]
    public void DotRendering()
    {
        var text = DotRenderer.Render(Fixture().WithObserved(new[] { ("Inner.Lock", "Outer.Lock") }));
        StringAssert.StartsWith(text, "digraph lock_hierarchy {\n");
        StringAssert.Contains(text, "    Outer_Lock -> Middle_Lock;\n");
        StringAssert.Contains(text, "    Inner_Lock -> Outer_Lock [style=dashed, color=red, label=\"INVERTED\"];\n");
        StringAssert.EndsWith(text, "}\n");
    }

    [TestMethod]
    public void DocBlockRoundTrips()
    {
        var doc = "# Title\n\nintro\n\n" + DocBlock.Wrap("flowchart TD\n    A --> B\n") + "\n\nafter\n";
        Assert.AreEqual("flowchart TD\n    A --> B\n", DocBlock.Extract(doc));
        var updated = DocBlock.Replace(doc, "flowchart TD\n    B --> C\n");
        Assert.AreEqual("flowchart TD\n    B --> C\n", DocBlock.Extract(updated));
        StringAssert.StartsWith(updated, "# Title\n\nintro\n\n");
        StringAssert.EndsWith(updated, "\n\nafter\n");
    }

    [TestMethod]
    public void DocBlockWithoutMarkersIsAnError()
    {
        Assert.IsNull(DocBlock.Extract("# no block here\n"));
        Assert.ThrowsExactly<FormatException>(() => DocBlock.Replace("# no block here\n", "flowchart TD\n"));
    }

    [TestMethod]
    public void CommittedLockHierarchyDocIsUpToDate()
    {
        var path = Path.Combine(SimHarness.RepoRoot(), "docs", "lock-hierarchy.md");
        Assert.IsTrue(File.Exists(path), $"{path} is missing");
        var fresh = MermaidRenderer.Render(XeLocked.Sim.Commands.GraphCommand.ReadModelHierarchy());
        Assert.AreEqual(fresh, DocBlock.Extract(File.ReadAllText(path)),
            "docs/lock-hierarchy.md is stale: run `dotnet run --project runtime/XeLocked.Sim -- graph --update-doc docs/lock-hierarchy.md`");
    }

    [TestMethod]
    public void GraphCommandChecksAStaleDoc()
    {
        var stale = Path.Combine(Path.GetTempPath(), $"xelocked-stale-{Guid.NewGuid():N}.md");
        File.WriteAllText(stale, "# doc\n" + DocBlock.Wrap("flowchart TD\n    Not_The_Model --> Graph\n") + "\n");
        try
        {
            var check = SimHarness.Run("graph", "--check-doc", stale);
            Assert.AreEqual(1, check.ExitCode, check.Error);
            StringAssert.Contains(check.Error, "stale");

            var update = SimHarness.Run("graph", "--update-doc", stale);
            Assert.AreEqual(0, update.ExitCode, update.Error);
            Assert.AreEqual(0, SimHarness.Run("graph", "--check-doc", stale).ExitCode);
        }
        finally
        {
            File.Delete(stale);
        }
    }

    [TestMethod]
    public void GraphCommandPrintsDot()
    {
        var r = SimHarness.Run("graph", "--format", "dot");
        Assert.AreEqual(0, r.ExitCode, r.Error);
        StringAssert.StartsWith(r.Out, "digraph lock_hierarchy {");
    }

    [TestMethod]
    public void GraphCommandRejectsUnknownFormat()
    {
        var r = SimHarness.Run("graph", "--format", "svg");
        Assert.AreEqual(2, r.ExitCode);
        StringAssert.Contains(r.Error, "'svg'");
        StringAssert.Contains(r.Error, "mermaid");
    }

    [TestMethod]
    public void GraphCommandRejectsDotWithDocOptions()
    {
        var r = SimHarness.Run("graph", "--format", "dot", "--check-doc", "docs/lock-hierarchy.md");
        Assert.AreEqual(2, r.ExitCode);
        StringAssert.Contains(r.Error, "Mermaid");
    }
}
