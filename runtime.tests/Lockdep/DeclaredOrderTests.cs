using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Locking;
using XeLocked.Runtime.Tests.Lockdep.Support;
using static XeLocked.Runtime.Tests.Lockdep.Support.OrderAssembly;
using LD = XeLocked.Locking.Lockdep;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary><c>Lockdep.LoadDeclaredOrder</c>: the declared order is checked on the first out-of-order acquisition.</summary>
[TestClass]
public sealed class DeclaredOrderTests
{
    [TestMethod]
    public void FirstOutOfOrderAcquisition_IsReported_WithNoCycleObserved()
    {
        var p = Names.Prefix("Do");
        LD.LoadDeclaredOrder(Build("My.Model", new Member($"{p}Vm", "Lock"), new Member($"{p}Vma", "FaultLock", After: new[] { $"{p}Vm.Lock" })));
        var vm = new TrackedMutex($"{p}Vm.Lock");
        var fault = new TrackedMutex($"{p}Vma.FaultLock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        fault.Lock();
        var ex = Assert.ThrowsExactly<LockdepViolationException>(() => vm.Lock("Model.cs", 7));
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, ex.Report.Kind);
        CollectionAssert.AreEqual(new[] { $"{p}Vm.Lock", $"{p}Vma.FaultLock" }, ex.Report.Classes.ToArray());
        StringAssert.Contains(ex.Report.Text, "WARNING: declared lock order violated");
        StringAssert.Contains(ex.Report.Text, $"({p}Vm.Lock){{write}}, at: Model.cs:7");
        StringAssert.Contains(ex.Report.Text, $"{p}Vm.Lock --> {p}Vma.FaultLock   (declared by My.Model.{p}Vma.FaultLock)");
        Assert.IsFalse(vm.IsHeldByCurrentThread, "the offending acquisition did not happen");
        fault.Unlock();

        vm.Lock();
        fault.Lock();
        fault.Unlock();
        vm.Unlock();
        Assert.AreEqual(1, scope.Reports.Count, "the declared order itself is fine");
    }

    [TestMethod]
    public void OrderIsClosedTransitively_AndCheckedAgainstEveryHeldLock()
    {
        var p = Names.Prefix("Dt");
        LD.LoadDeclaredOrder(Build("N", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" }), new Member($"{p}C", "L", After: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var c = new TrackedMutex($"{p}C.L");
        var other = new TrackedMutex($"{p}Other.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);

        c.Lock();
        other.Lock(); // the top of the stack is unrelated: C below it still forbids A
        var ex = Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock());
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, ex.Report.Kind);
        StringAssert.Contains(ex.Report.Text, $"{p}A.L --> {p}B.L");
        StringAssert.Contains(ex.Report.Text, $"{p}B.L --> {p}C.L");
        other.Unlock();
        c.Unlock();

        a.Lock();
        c.Lock();
        c.Unlock();
        a.Unlock();
        Assert.AreEqual(1, scope.Reports.Count);
    }

    [TestMethod]
    public void FullyQualifiedAndSimpleNames_Agree()
    {
        var p = Names.Prefix("Dq");
        LD.LoadDeclaredOrder(Build("Deep.Name.Space", new Member($"{p}Outer", "Lock"),
            new Member($"{p}Inner", "Lock", After: new[] { $"Deep.Name.Space.{p}Outer.Lock" })));
        CollectionAssert.Contains(LD.DeclaredOrder.ToArray(), new LockOrderEdge($"{p}Outer.Lock", $"{p}Inner.Lock", $"Deep.Name.Space.{p}Inner.Lock"));
        var outer = new TrackedRwSemaphore($"{p}Outer.Lock");
        var inner = new TrackedSpinLock($"{p}Inner.Lock");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        inner.Lock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation,
            Assert.ThrowsExactly<LockdepViolationException>(() => outer.LockRead()).Report.Kind);
        inner.Unlock();
    }

    [TestMethod]
    public void DeclaredCycle_IsRejected_AndNothingIsLoaded()
    {
        var p = Names.Prefix("Dc");
        var before = LD.DeclaredOrder.Count;
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => LD.LoadDeclaredOrder(Build("Cyc",
            new Member($"{p}A", "L", Before: new[] { $"{p}B.L" }),
            new Member($"{p}B", "L", Before: new[] { $"{p}C.L" }),
            new Member($"{p}C", "L", Before: new[] { $"{p}A.L" }))));
        StringAssert.Contains(ex.Message, "form a cycle");
        StringAssert.Contains(ex.Message, $"{p}A.L before {p}B.L, declared by Cyc.{p}A.L");
        StringAssert.Contains(ex.Message, $"{p}C.L before {p}A.L, declared by Cyc.{p}C.L");
        Assert.IsFalse(LD.DeclaredOrder.Any(e => e.Outer.StartsWith(p, StringComparison.Ordinal)), "no edge of the rejected assembly was loaded");
        Assert.IsTrue(LD.DeclaredOrder.Count >= before);
    }

    [TestMethod]
    public void CycleThroughAnEarlierAssembly_IsRejected()
    {
        var p = Names.Prefix("De");
        LD.LoadDeclaredOrder(Build("One", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => LD.LoadDeclaredOrder(Build("Two", new Member($"{p}B", "L", Before: new[] { $"{p}A.L" }))));
        StringAssert.Contains(ex.Message, "form a cycle");
    }

    [TestMethod]
    public void MalformedName_IsRejected()
    {
        var p = Names.Prefix("Dm");
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => LD.LoadDeclaredOrder(Build("Bad", new Member($"{p}A", "L", After: new[] { "NoDotHere" }))));
        StringAssert.Contains(ex.Message, "\"NoDotHere\"");
        StringAssert.Contains(ex.Message, "TypeName.MemberName");
        Assert.ThrowsExactly<ArgumentNullException>(() => LD.LoadDeclaredOrder(null!));
    }

    [TestMethod]
    public void LoadingTwice_IsHarmless()
    {
        var p = Names.Prefix("Dl");
        var asm = Build("Twice", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" }));
        LD.LoadDeclaredOrder(asm);
        var n = LD.DeclaredOrder.Count(e => e.Outer.StartsWith(p, StringComparison.Ordinal));
        LD.LoadDeclaredOrder(asm);
        Assert.AreEqual(1, n);
        Assert.AreEqual(n, LD.DeclaredOrder.Count(e => e.Outer.StartsWith(p, StringComparison.Ordinal)));
    }

    [TestMethod]
    public void ChainsValidatedBeforeTheLoad_AreCheckedAgainAfterIt()
    {
        var p = Names.Prefix("Dv");
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        b.Lock();
        a.Lock(); // fine: nothing declared yet; the chain (B, A) is now cached
        a.Unlock();
        b.Unlock();

        LD.LoadDeclaredOrder(Build("Late", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        b.Lock();
        Assert.AreEqual(LockdepViolationKind.DeclaredOrderViolation, Assert.ThrowsExactly<LockdepViolationException>(() => a.Lock()).Report.Kind);
        b.Unlock();
    }

    [TestMethod]
    public void TrylockOutOfDeclaredOrder_IsNotAViolation()
    {
        var p = Names.Prefix("Dy");
        LD.LoadDeclaredOrder(Build("Try", new Member($"{p}A", "L", Before: new[] { $"{p}B.L" })));
        var a = new TrackedMutex($"{p}A.L");
        var b = new TrackedMutex($"{p}B.L");
        using var scope = LD.CaptureReports(LockdepMode.Throw);
        b.Lock();
        Assert.IsTrue(a.TryLock(), "a trylock cannot deadlock, as in lockdep it records no dependency");
        a.Unlock();
        b.Unlock();
        Assert.AreEqual(0, scope.Reports.Count);
    }
}
