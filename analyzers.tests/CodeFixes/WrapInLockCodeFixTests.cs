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

    [TestMethod]
    public Task FixAllInProjectWrapsInEveryFile() => GuardedVerify.VerifyFilesAsync(
        new[]
        {
            """
            partial class C
            {
                private readonly object _sync = new();
                [GuardedBy("_sync")] private int _a;
                void M() { {|XL0002:_a|}++; }
            }
            """,
            """
            partial class C
            {
                int N() { return {|XL0002:_a|}; }
            }
            """,
        },
        new[]
        {
            """
            partial class C
            {
                private readonly object _sync = new();
                [GuardedBy("_sync")] private int _a;
                void M() { lock (_sync) { _a++; } }
            }
            """,
            """
            partial class C
            {
                int N() { lock (_sync) { return _a; } }
            }
            """,
        },
        Key);

    [TestMethod]
    public Task AConjunctionTakesItsLocksNestedInTheOrderWritten() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            [LockOrder(Before = new[] { "C.B" })] public readonly object A = new();
            public readonly object B = new();
            [GuardedBy("A & B")] private int _both;

            void M()
            {
                {|XL0002:_both|} = 1;
            }
        }
        """,
        Vm + """
        class C
        {
            [LockOrder(Before = new[] { "C.B" })] public readonly object A = new();
            public readonly object B = new();
            [GuardedBy("A & B")] private int _both;

            void M()
            {
                lock (A)
                {
                    lock (B)
                    {
                        _both = 1;
                    }
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task FixAllDoesNotTakeALockInsideABlockItAlreadyWraps() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _a;

            void M(int[] xs)
            {
                foreach (var x in xs)
                {
                    if (x > {|XL0002:_a|})
                    {
                        {|XL0002:_a|} = x;
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

            void M(int[] xs)
            {
                foreach (var x in xs)
                {
                    lock (_sync)
                    {
                        if (x > _a)
                        {
                            _a = x;
                        }
                    }
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task ALockReachedThroughALocalIsTakenThroughIt() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            void M(Vm[] vms)
            {
                var vm = vms[0];
                {|XL0002:vm.Data|} = 1;
            }
        }
        """,
        Vm + """
        class C
        {
            void M(Vm[] vms)
            {
                var vm = vms[0];
                using (vm.Lock.WriteGuard())
                {
                    vm.Data = 1;
                }
            }
        }
        """,
        Key);

    [TestMethod]
    public Task NotOfferedWhenTheLocalIsDeclaredInTheStatementItself() => GuardedVerify.VerifyNoFixAsync(
        Vm + """
        class C
        {
            Vm Find() => new Vm();
            int M() { if (Find() is var vm && {|XL0002:vm.Data|} > 0) return 1; return 0; }
        }
        """);

    private const string AsyncMutex = """
        [LockPrimitive(LockKind.Exclusive, AsyncAware = true)]
        public sealed class AsyncMutex
        {
            [Acquires("this")] public AsyncGuard Guard() => new AsyncGuard(this);
            [Releases("this")] public void Unlock() { }
        }

        [ScopedLock]
        public readonly struct AsyncGuard : IDisposable
        {
            private readonly AsyncMutex _m;
            public AsyncGuard(AsyncMutex m) => _m = m;
            public void Dispose() => _m.Unlock();
        }

        """;

    [TestMethod]
    public Task AnAsyncAwarePrimitiveIsWrappedAroundAnAwait() => GuardedVerify.VerifyAsync(
        AsyncMutex + """
        class C
        {
            private readonly AsyncMutex _m = new();
            [GuardedBy("_m")] private int _n;

            async System.Threading.Tasks.Task M()
            {
                {|XL0002:_n|} += await System.Threading.Tasks.Task.FromResult(1);
            }
        }
        """,
        AsyncMutex + """
        class C
        {
            private readonly AsyncMutex _m = new();
            [GuardedBy("_m")] private int _n;

            async System.Threading.Tasks.Task M()
            {
                using (_m.Guard())
                {
                    _n += await System.Threading.Tasks.Task.FromResult(1);
                }
            }
        }
        """,
        Key);
}
