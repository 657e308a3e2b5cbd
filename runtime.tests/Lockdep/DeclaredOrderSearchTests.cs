using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>The declared order's searches (closure, explanation, cycle), on the shared helpers.</summary>
[TestClass]
public sealed class DeclaredOrderSearchTests
{
    private static DeclaredOrder Order(params (string Outer, string Inner)[] edges) =>
        DeclaredOrder.Of(edges.Select(e => new LockOrderEdge(e.Outer, e.Inner, "T." + e.Outer)));

    [TestMethod]
    public void Closure_IsTransitive_AndDirected()
    {
        var o = Order(("A.L", "B.L"), ("B.L", "C.L"), ("X.L", "C.L"));
        Assert.IsTrue(o.MustPrecede("A.L", "C.L"));
        Assert.IsTrue(o.MustPrecede("X.L", "C.L"));
        Assert.IsFalse(o.MustPrecede("C.L", "A.L"));
        Assert.IsFalse(o.MustPrecede("A.L", "X.L"));
        Assert.IsFalse(o.MustPrecede("A.L", "A.L"), "no cycle, so nothing precedes itself");
        Assert.IsFalse(o.MustPrecede("Unknown.L", "A.L"));
    }

    [TestMethod]
    public void Explain_GivesTheShortestDeclaredPath()
    {
        var o = Order(("A.L", "B.L"), ("B.L", "C.L"), ("C.L", "D.L"), ("A.L", "D.L"));
        CollectionAssert.AreEqual(new[] { "A.L", "D.L" }, o.Explain("A.L", "D.L").SelectMany(e => new[] { e.Outer, e.Inner }).ToArray());
        CollectionAssert.AreEqual(new[] { "A.L", "B.L", "B.L", "C.L" }, o.Explain("A.L", "C.L").SelectMany(e => new[] { e.Outer, e.Inner }).ToArray());
        Assert.AreEqual(0, o.Explain("D.L", "A.L").Count);
        Assert.AreEqual(0, o.Explain("A.L", "A.L").Count);
    }
}
