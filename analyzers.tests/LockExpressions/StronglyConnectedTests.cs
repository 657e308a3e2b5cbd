extern alias LockExpressionsAssembly;
using LockExpressionsAssembly::XeLocked.LockExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.LockExpressions;

/// <summary>
/// The one strongly-connected-components search (<c>shared/XeLocked.LockExpressions</c>), used by
/// the analyzer's declared order and acquisition graph and by the runtime's declared order.
/// </summary>
[TestClass]
public sealed class StronglyConnectedTests
{
    private static List<List<int>> Components(Dictionary<int, int[]> graph, params int[] roots) =>
        StronglyConnected.Components(roots.Length > 0 ? roots : graph.Keys, n => graph.TryGetValue(n, out var s) ? s : [], EqualityComparer<int>.Default);

    [TestMethod]
    public void EmptyGraph_NoComponents() =>
        Assert.AreEqual(0, Components(new Dictionary<int, int[]>()).Count);

    [TestMethod]
    public void SelfLoop_IsAComponentOfOne()
    {
        var c = Components(new Dictionary<int, int[]> { [1] = [1] });
        Assert.AreEqual(1, c.Count);
        CollectionAssert.AreEqual(new[] { 1 }, c[0]);
    }

    [TestMethod]
    public void TwoCycles_TwoComponents_InReverseTopologicalOrder()
    {
        // 1 <-> 2 -> 3 <-> 4: {3,4} is finished first.
        var c = Components(new Dictionary<int, int[]> { [1] = [2], [2] = [1, 3], [3] = [4], [4] = [3] }, 1);
        Assert.AreEqual(2, c.Count);
        CollectionAssert.AreEquivalent(new[] { 3, 4 }, c[0]);
        CollectionAssert.AreEquivalent(new[] { 1, 2 }, c[1]);
    }

    [TestMethod]
    public void Dag_EveryNodeItsOwnComponent()
    {
        var c = Components(new Dictionary<int, int[]> { [1] = [2, 3], [2] = [3], [3] = [] }, 1);
        CollectionAssert.AreEqual(new[] { 3, 2, 1 }, c.Select(x => x.Single()).ToArray());
    }

    [TestMethod]
    public void LongChainAndLongCycle_DoNotOverflowTheStack()
    {
        const int N = 100_000;
        var chain = StronglyConnected.Components(new[] { 0 }, n => n + 1 < N ? new[] { n + 1 } : [], EqualityComparer<int>.Default);
        Assert.AreEqual(N, chain.Count);
        Assert.AreEqual(N - 1, chain[0].Single(), "the deepest node finishes first");

        var cycle = StronglyConnected.Components(new[] { 0 }, n => new[] { (n + 1) % N }, EqualityComparer<int>.Default);
        Assert.AreEqual(1, cycle.Count);
        Assert.AreEqual(N, cycle[0].Count);
    }

    [TestMethod]
    public void NodesUnreachableFromTheRoots_AreLeftOut_AndAVisitedRootIsSkipped()
    {
        // 3 -> 1 -> 2; roots 1 then 2: 2 is already in a component when its turn comes.
        var c = Components(new Dictionary<int, int[]> { [1] = [2], [2] = [], [3] = [1] }, 1, 2);
        CollectionAssert.AreEqual(new[] { 2, 1 }, c.Select(x => x.Single()).ToArray());
    }

    [TestMethod]
    public void NodesAreTheSameByTheComparer()
    {
        // a -> B -> A: a cycle back to a when names are compared ignoring case, a path otherwise.
        var graph = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["a"] = ["B"], ["b"] = ["A"] };
        IEnumerable<string> Next(string n) => graph[n];

        var ignoringCase = StronglyConnected.Components(new[] { "a" }, Next, StringComparer.OrdinalIgnoreCase);
        Assert.AreEqual(1, ignoringCase.Count);
        CollectionAssert.AreEqual(new[] { "B", "a" }, ignoringCase[0]);

        var ordinal = StronglyConnected.Components(new[] { "a" }, Next, StringComparer.Ordinal);
        Assert.AreEqual(2, ordinal.Count);
        CollectionAssert.AreEquivalent(new[] { "A", "B" }, ordinal[0]);
        CollectionAssert.AreEqual(new[] { "a" }, ordinal[1]);
    }
}
