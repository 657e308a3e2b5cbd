extern alias LockExpressionsAssembly;
using LockExpressionsAssembly::XeLocked.LockExpressions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Analyzers.Tests.LockExpressions;

/// <summary>
/// The one general shortest-path search (<c>shared/XeLocked.LockExpressions</c>), used by the
/// analyzer's declared order and acquisition graph and by the runtime's declared order.
/// </summary>
[TestClass]
public sealed class ShortestPathTests
{
    private static List<(int From, int To)>? Find(Dictionary<int, int[]> graph, int from, int to) =>
        ShortestPath.Find(from, n => n == to, n => (graph.TryGetValue(n, out var s) ? s : []).Select(t => (n, t)), e => e.t, EqualityComparer<int>.Default)
            ?.Select(e => (e.n, e.t)).ToList();

    [TestMethod]
    public void EmptyGraph_NoPath() => Assert.IsNull(Find(new Dictionary<int, int[]>(), 1, 2));

    [TestMethod]
    public void NoPath_IsNull() => Assert.IsNull(Find(new Dictionary<int, int[]> { [1] = [2], [3] = [1] }, 1, 3));

    [TestMethod]
    public void PicksTheShortest_NotTheFirstTried()
    {
        // 1 -> 2 -> 3 -> 4 -> 9 is tried first (2 before 5), 1 -> 5 -> 9 is shorter.
        var path = Find(new Dictionary<int, int[]> { [1] = [2, 5], [2] = [3], [3] = [4], [4] = [9], [5] = [9] }, 1, 9);
        CollectionAssert.AreEqual(new[] { (1, 5), (5, 9) }, path);
    }

    [TestMethod]
    public void AmongTheShortest_TheFirstInEdgeOrder()
    {
        var path = Find(new Dictionary<int, int[]> { [1] = [3, 2], [2] = [9], [3] = [9] }, 1, 9);
        CollectionAssert.AreEqual(new[] { (1, 3), (3, 9) }, path);
    }

    [TestMethod]
    public void ToItself_OnlyByACycle()
    {
        Assert.IsNull(Find(new Dictionary<int, int[]> { [1] = [2] }, 1, 1));
        CollectionAssert.AreEqual(new[] { (1, 1) }, Find(new Dictionary<int, int[]> { [1] = [1] }, 1, 1));
        CollectionAssert.AreEqual(new[] { (1, 2), (2, 1) }, Find(new Dictionary<int, int[]> { [1] = [2, 3], [2] = [1], [3] = [4], [4] = [1] }, 1, 1));
    }

    [TestMethod]
    public void LongChain()
    {
        const int N = 100_000;
        var path = ShortestPath.Find(0, n => n == N - 1, n => n + 1 < N ? new[] { n + 1 } : [], n => n, EqualityComparer<int>.Default);
        Assert.AreEqual(N - 1, path!.Count);
        Assert.AreEqual(N - 1, path[^1]);
    }

    [TestMethod]
    public void Reachable_ExcludesTheStartUnlessOnACycle()
    {
        var graph = new Dictionary<int, int[]> { [1] = [2], [2] = [3], [3] = [], [4] = [4] };
        IEnumerable<int> Next(int n) => graph.TryGetValue(n, out var s) ? s : [];
        CollectionAssert.AreEquivalent(new[] { 2, 3 }, ShortestPath.Reachable(1, Next, EqualityComparer<int>.Default).ToArray());
        CollectionAssert.AreEquivalent(new[] { 4 }, ShortestPath.Reachable(4, Next, EqualityComparer<int>.Default).ToArray());
        Assert.AreEqual(0, ShortestPath.Reachable(3, Next, EqualityComparer<int>.Default).Count);
    }

    [TestMethod]
    public void Reachable_NodesAreTheSameByTheComparer()
    {
        // a -> B -> A: the start is reached again, on a cycle, when names are compared ignoring case.
        var graph = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase) { ["a"] = ["B"], ["b"] = ["A"] };
        IEnumerable<string> Next(string n) => graph[n];

        var ignoringCase = ShortestPath.Reachable("a", Next, StringComparer.OrdinalIgnoreCase);
        Assert.AreEqual(2, ignoringCase.Count);
        Assert.IsTrue(ignoringCase.Contains("a"), "the start, on a cycle, is reachable");

        var ordinal = ShortestPath.Reachable("a", Next, StringComparer.Ordinal);
        CollectionAssert.AreEquivalent(new[] { "A", "B" }, ordinal.ToArray());
        Assert.IsFalse(ordinal.Contains("a"), "A is another node when case counts");
    }
}
