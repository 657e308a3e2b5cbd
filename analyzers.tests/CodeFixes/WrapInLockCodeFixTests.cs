using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.CodeFixes.Fixes;
using GuardedVerify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer, XeLocked.CodeFixes.Fixes.WrapInLockCodeFixProvider>;
using CallVerify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.CallContractAnalyzer, XeLocked.CodeFixes.Fixes.WrapInLockCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class WrapInLockCodeFixTests
{
    private const string Key = WrapInLockCodeFixProvider.EquivalenceKey;

    [TestMethod]
    public Task MonitorObjectGetsALockStatement() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;

            void Add(int n)
            {
                Console.WriteLine(n);
                {|XL0002:_count|} += n;
            }
        }
        """,
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;

            void Add(int n)
            {
                Console.WriteLine(n);
                lock (_sync)
                {
                    _count += n;
                }
            }
        }
        """,
        Key);

    private const string Vm = """
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex Resv = new();
            [GuardedBy("Lock")] public int Data;
            [GuardedBy("Lock:write | (Lock:read & Resv)")] public int Rebind;
            [GuardedBy("Resv")] public int Fence;
        }

        """;

    [TestMethod]
    public Task ThreadingLockGetsALockStatement() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly Lock _gate = new();
            [GuardedBy("_gate")] private int _count;
            int Get() { return {|XL0002:_count|}; }
        }
        """,
        """
        class C
        {
            private readonly Lock _gate = new();
            [GuardedBy("_gate")] private int _count;
            int Get() { lock (_gate) { return _count; } }
        }
        """,
        Key);

    [TestMethod]
    public Task ReadOfAReaderWriterPrimitiveTakesTheReadGuard() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            int M(Vm vm)
            {
                var x = {|XL0002:vm.Data|};
                return x + 1;
            }
        }
        """,
        Vm + """
        class C
        {
            int M(Vm vm)
            {
                using (vm.Lock.ReadGuard())
                {
                    var x = vm.Data;
                    return x + 1;
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task WriteTakesTheWriteGuardAndADisjunctionItsSmallestAlternative() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            void M(Vm vm)
            {
                {|XL0002:vm.Data|} = 1;
                Console.WriteLine();
                {|XL0002:vm.Rebind|} = 2;
            }
        }
        """,
        Vm + """
        class C
        {
            void M(Vm vm)
            {
                using (vm.Lock.WriteGuard())
                {
                    vm.Data = 1;
                }
                Console.WriteLine();
                using (vm.Lock.WriteGuard())
                {
                    vm.Rebind = 2;
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task ExclusivePrimitiveTakesItsGuard() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            void M(Vm vm, bool b)
            {
                if (b)
                    {|XL0002:vm.Fence|}++;
            }
        }
        """,
        Vm + """
        class C
        {
            void M(Vm vm, bool b)
            {
                if (b)
                    using (vm.Resv.Guard())
                    {
                        vm.Fence++;
                    }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task ReaderWriterLockSlimUsesTryFinally() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private int _a;
            [GuardedBy("_rw")] private int _b;

            int Sum()
            {
                return {|XL0002:_a|} + {|XL0002:_b|};
            }

            void Set(int v)
            {
                {|XL0002:_a|} = v;
            }
        }
        """,
        """
        class C
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private int _a;
            [GuardedBy("_rw")] private int _b;

            int Sum()
            {
                _rw.EnterReadLock();
                try
                {
                    return _a + _b;
                }
                finally
                {
                    _rw.ExitReadLock();
                }
            }

            void Set(int v)
            {
                _rw.EnterWriteLock();
                try
                {
                    _a = v;
                }
                finally
                {
                    _rw.ExitWriteLock();
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task ExpressionBodiesBecomeBlocks() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            public int Count => {|XL0002:_count|};
            public void Reset() => {|XL0002:_count|} = 0;
        }
        """,
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            public int Count
            {
                get
                {
                    lock (_sync)
                    {
                        return _count;
                    }
                }
            }
            public void Reset()
            {
                lock (_sync)
                {
                    _count = 0;
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task UnsatisfiedRequiresIsWrappedToo() => CallVerify.VerifyAsync(
        Vm + """
        class C
        {
            [Requires("v.Resv")] static void Inner(Vm v) { }
            void Outer(Vm vm)
            {
                {|XL0004:Inner(vm)|};
            }
        }
        """,
        Vm + """
        class C
        {
            [Requires("v.Resv")] static void Inner(Vm v) { }
            void Outer(Vm vm)
            {
                using (vm.Resv.Guard())
                {
                    Inner(vm);
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task FixAllWrapsAdjacentStatementsOnce() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _a;
            [GuardedBy("_sync")] private int _b;

            void M(bool reset)
            {
                // Both counters move together.
                {|XL0002:_a|}++;
                {|XL0002:_b|}++;
                if ({|XL0002:_a|} > 10 && reset)
                {
                    {|XL0002:_a|} = 0;
                }
            }
        }
        """,
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _a;
            [GuardedBy("_sync")] private int _b;

            void M(bool reset)
            {
                // Both counters move together.
                lock (_sync)
                {
                    _a++;
                }
                lock (_sync)
                {
                    _b++;
                }
                lock (_sync)
                {
                    if (_a > 10 && reset)
                    {
                        _a = 0;
                    }
                }
            }
        }
        """,
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _a;
            [GuardedBy("_sync")] private int _b;

            void M(bool reset)
            {
                // Both counters move together.
                lock (_sync)
                {
                    _a++;
                    _b++;
                    if (_a > 10 && reset)
                    {
                        _a = 0;
                    }
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task NotOfferedAroundAnAwait() => GuardedVerify.VerifyNoFixAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            async System.Threading.Tasks.Task M() { {|XL0002:_count|} += await System.Threading.Tasks.Task.FromResult(1); }
        }
        """);

    [TestMethod]
    public Task NotOfferedInAnExpressionLambda() => GuardedVerify.VerifyNoFixAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            Func<int> M() => () => {|XL0002:_count|};
        }
        """);
}
