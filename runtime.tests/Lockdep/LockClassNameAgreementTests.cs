using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Sim.Graph;
using static XeLocked.Runtime.Tests.Lockdep.Support.OrderAssembly;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// The run-time tracker (<c>DeclaredOrder</c>) and the Sim's graph (<see cref="LockHierarchyReader"/>)
/// read a <c>[LockOrder]</c> class name exactly as the analyzer does (analyzers.tests,
/// <c>LockClassNameFormsTests</c>: the same inputs): the same names accepted, as the same class,
/// and the same rejected.
/// </summary>
[TestClass]
public sealed class LockClassNameAgreementTests
{
    private static System.Reflection.Assembly Declaring(string name) =>
        Build("Ns", new Member("Vm", "Lock"), new Member("D", "L", After: new[] { name }));

    [TestMethod]
    [DataRow("Vm.Lock", "Vm.Lock")]
    [DataRow("Ns.Vm.Lock", "Vm.Lock")]
    [DataRow("Outer.Inner.Lock", "Inner.Lock")]
    [DataRow("Ns.Outer.Inner.Lock", "Inner.Lock")]
    [DataRow("Box.Lock", "Box.Lock")]
    public void Accepted_AsTheSameClassByTrackerAndGraph(string name, string key)
    {
        var asm = Declaring(name);
        var order = DeclaredOrder.Read(asm);
        CollectionAssert.AreEqual(new[] { new LockOrderEdge(key, "D.L", "Ns.D.L") }, order.Edges.ToArray());
        Assert.IsTrue(order.MustPrecede(key, "D.L"));
        Assert.AreEqual(key, DeclaredOrder.Normalize(name), "a lock constructed under this name is the same class");

        var graph = LockHierarchyReader.Read(asm);
        CollectionAssert.AreEqual(new[] { new LockEdge(key, "D.L", EdgeOrigin.Declared) }, graph.Edges.ToArray());
        CollectionAssert.Contains(graph.Classes.ToArray(), key);
    }

    [TestMethod]
    [DataRow("global::Ns.Vm.Lock", "without 'global::'")]
    [DataRow(" Vm.Lock", "without white space")]
    [DataRow("Vm.Lock ", "without white space")]
    [DataRow("Box`1.Lock", "a generic type is named by its simple name")]
    [DataRow("Box<T>.Lock", "a generic type is named by its simple name")]
    [DataRow("Outer+Inner.Lock", "not 'Outer+Inner'")]
    [DataRow("Lock", "a lock class is written 'TypeName.MemberName'")]
    [DataRow("Vm..Lock", "expected an identifier after '.'")]
    public void Rejected_ByTrackerAndGraph(string name, string why)
    {
        var asm = Declaring(name);
        var read = Assert.ThrowsExactly<InvalidOperationException>(() => DeclaredOrder.Read(asm));
        StringAssert.Contains(read.Message, $"\"{name}\"");
        StringAssert.Contains(read.Message, why);
        var graph = Assert.ThrowsExactly<InvalidOperationException>(() => LockHierarchyReader.Read(asm));
        Assert.AreEqual(read.Message, graph.Message);
        var before = XeLocked.Locking.Lockdep.DeclaredOrder.Count;
        var load = Assert.ThrowsExactly<InvalidOperationException>(() => XeLocked.Locking.Lockdep.LoadDeclaredOrder(asm));
        Assert.AreEqual(read.Message, load.Message);
        Assert.AreEqual(before, XeLocked.Locking.Lockdep.DeclaredOrder.Count, "nothing loaded");
    }

    [TestMethod]
    [DataRow("Ns.Vm.Lock", "Vm.Lock")]
    [DataRow("Vm.Lock", "Vm.Lock")]
    [DataRow("not a class name", "not a class name")]
    [DataRow("global::Vm.Lock", "global::Vm.Lock")]
    public void ConstructedLockNames_AreKeyedAsTheOrderKeysThem(string lockName, string declaredName)
    {
        Assert.AreEqual(declaredName, DeclaredOrder.Normalize(lockName));
    }
}
