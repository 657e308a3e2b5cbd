using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.LockOrderAnalyzer, XeLocked.CodeFixes.Fixes.SwapToDeclaredOrderCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class SwapToDeclaredOrderCodeFixTests
{
    private const string Model = """
        class Vm
        {
            [LockOrder(Before = new[] { "Range.Lock" })] public readonly RwSem Lock = new();
        }
        class Range
        {
            [LockOrder(Before = new[] { "Other.Lock" })] public readonly Mutex Lock = new();
        }
        class Other
        {
            public readonly Mutex Lock = new();
        }

        """;

    [TestMethod]
    public Task AdjacentExplicitAcquisitionsAreSwapped() => Verify.VerifyAsync(
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                r.Lock.Lock();
                {|XL0001:vm.Lock.LockRead()|};
                vm.Lock.UnlockRead();
                r.Lock.Unlock();
            }
        }
        """,
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                vm.Lock.LockRead();
                r.Lock.Lock();
                vm.Lock.UnlockRead();
                r.Lock.Unlock();
            }
        }
        """);

    [TestMethod]
    public Task AdjacentUsingDeclarationsAreSwapped() => Verify.VerifyAsync(
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                using var g1 = r.Lock.Guard();
                using var g2 = {|XL0001:vm.Lock.ReadGuard()|};
            }
        }
        """,
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                using var g2 = vm.Lock.ReadGuard();
                using var g1 = r.Lock.Guard();
            }
        }
        """);

    [TestMethod]
    public Task DirectlyNestedUsingStatementsAreSwapped() => Verify.VerifyAsync(
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                using (r.Lock.Guard())
                using ({|XL0001:vm.Lock.ReadGuard()|})
                {
                }
            }
        }
        """,
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                using (vm.Lock.ReadGuard())
                using (r.Lock.Guard())
                {
                }
            }
        }
        """);

    [TestMethod]
    public Task FixAllSwapsInEveryMethod() => Verify.VerifyAsync(
        Model + """
        class C
        {
            void M(Vm vm, Range r) { using var g1 = r.Lock.Guard(); using var g2 = {|XL0001:vm.Lock.ReadGuard()|}; }
            void N(Vm vm, Range r) { using var g1 = r.Lock.Guard(); using var g2 = {|XL0001:vm.Lock.WriteGuard()|}; }
        }
        """,
        Model + """
        class C
        {
            void M(Vm vm, Range r) { using var g2 = vm.Lock.ReadGuard(); using var g1 = r.Lock.Guard(); }
            void N(Vm vm, Range r) { using var g2 = vm.Lock.WriteGuard(); using var g1 = r.Lock.Guard(); }
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenAnotherStatementStandsBetween() => Verify.VerifyNoFixAsync(
        Model + """
        class C
        {
            void M(Vm vm, Range r)
            {
                r.Lock.Lock();
                Console.WriteLine();
                {|XL0001:vm.Lock.LockRead()|};
                vm.Lock.UnlockRead();
                r.Lock.Unlock();
            }
        }
        """);
    private const string Monitors = """
        class Outer
        {
            [LockOrder(Before = new[] { "Inner.Sync" })] public readonly object Sync = new();
        }
        class Inner
        {
            public readonly object Sync = new();
        }

        """;

    [TestMethod]
    public Task NestedLockStatementsAreSwapped() => Verify.VerifyAsync(
        Monitors + """
        class C
        {
            void M(Outer o, Inner i)
            {
                lock (i.Sync)
                {
                    lock ({|XL0001:o.Sync|})
                    {
                        Console.WriteLine();
                    }
                }
            }
        }
        """,
        Monitors + """
        class C
        {
            void M(Outer o, Inner i)
            {
                lock (o.Sync)
                {
                    lock (i.Sync)
                    {
                        Console.WriteLine();
                    }
                }
            }
        }
        """);

    [TestMethod]
    public Task NestedGuardAndLockAreSwapped() => Verify.VerifyAsync(
        Model + """
        class Gate
        {
            [LockOrder(Before = new[] { "Range.Lock" })] public readonly object Sync = new();
        }
        class C
        {
            void M(Gate g, Range r)
            {
                using (r.Lock.Guard())
                {
                    lock ({|XL0001:g.Sync|})
                    {
                        Console.WriteLine();
                    }
                }
            }
        }
        """,
        Model + """
        class Gate
        {
            [LockOrder(Before = new[] { "Range.Lock" })] public readonly object Sync = new();
        }
        class C
        {
            void M(Gate g, Range r)
            {
                lock (g.Sync)
                {
                    using (r.Lock.Guard())
                    {
                        Console.WriteLine();
                    }
                }
            }
        }
        """);

    [TestMethod]
    public Task FixAllSwapsNestedLocksInEveryMethod() => Verify.VerifyAsync(
        Monitors + """
        class C
        {
            void M(Outer o, Inner i) { lock (i.Sync) lock ({|XL0001:o.Sync|}) { Console.WriteLine(1); } }
            void N(Outer o, Inner i) { lock (i.Sync) { lock ({|XL0001:o.Sync|}) { Console.WriteLine(2); } } }
        }
        """,
        Monitors + """
        class C
        {
            void M(Outer o, Inner i) { lock (o.Sync) lock (i.Sync) { Console.WriteLine(1); } }
            void N(Outer o, Inner i) { lock (o.Sync) { lock (i.Sync) { Console.WriteLine(2); } } }
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenTheOuterLockHoldsOtherStatements() => Verify.VerifyNoFixAsync(
        Monitors + """
        class C
        {
            void M(Outer o, Inner i)
            {
                lock (i.Sync)
                {
                    Console.WriteLine();
                    lock ({|XL0001:o.Sync|}) { }
                }
                lock (i.Sync)
                {
                    lock ({|XL0001:o.Sync|}) { }
                    Console.WriteLine();
                }
            }
        }
        """);
}
