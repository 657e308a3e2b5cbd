using Microsoft.VisualStudio.TestTools.UnitTesting;
using GuardedVerify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer, XeLocked.CodeFixes.Fixes.AddRequiresCodeFixProvider>;
using CallVerify = XeLocked.Analyzers.Tests.CodeFixes.CodeFixVerifier<XeLocked.Analyzers.Rules.CallContractAnalyzer, XeLocked.CodeFixes.Fixes.AddRequiresCodeFixProvider>;

namespace XeLocked.Analyzers.Tests.CodeFixes;

[TestClass]
public sealed class AddRequiresCodeFixTests
{
    private const string Vm = """
        class Vm
        {
            public readonly RwSem Lock = new();
            public readonly Mutex Resv = new();
            [GuardedBy("Lock")] public int Data;
            [GuardedBy("Lock:write | (Lock:read & Resv)")] public int Rebind;
        }

        """;

    [TestMethod]
    public Task ReadOfAParameterMemberRequiresReadMode() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            int M(Vm vm) => {|XL0002:vm.Data|};
        }
        """,
        Vm + """
        class C
        {
            [Requires("vm.Lock:read")]
            int M(Vm vm) => vm.Data;
        }
        """);

    [TestMethod]
    public Task WriteOfAnOwnMemberRequiresWriteMode() => GuardedVerify.VerifyAsync(
        """
        class C
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock")] int _x;
            void Set() { {|XL0002:_x|} = 1; }
        }
        """,
        """
        class C
        {
            public readonly RwSem Lock = new();
            [GuardedBy("Lock")] int _x;
            [Requires("Lock:write")]
            void Set() { _x = 1; }
        }
        """);

    [TestMethod]
    public Task DisjunctionIsRebasedOntoTheReceiver() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            int M(Vm vm) => {|XL0002:vm.Rebind|};
        }
        """,
        Vm + """
        class C
        {
            [Requires("vm.Lock:write | (vm.Lock:read & vm.Resv)")]
            int M(Vm vm) => vm.Rebind;
        }
        """);

    [TestMethod]
    public Task FixAllAddsEachRequirementOncePerMethod() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            int M(Vm vm) => {|XL0002:vm.Data|} + {|XL0002:vm.Data|};
            int N(Vm a, Vm b) => {|XL0002:a.Data|} + {|XL0002:b.Data|};
        }
        """,
        Vm + """
        class C
        {
            [Requires("vm.Lock:read")]
            int M(Vm vm) => vm.Data + vm.Data;
            [Requires("a.Lock:read")]
            [Requires("b.Lock:read")]
            int N(Vm a, Vm b) => a.Data + b.Data;
        }
        """);

    [TestMethod]
    public Task CallerOfARequiresMethodGetsItsContractSubstituted() => CallVerify.VerifyAsync(
        Vm + """
        class C
        {
            [Requires("v.Resv")] static void Inner(Vm v) { }
            void Outer(Vm vm) { {|XL0004:Inner(vm)|}; }
        }
        """,
        Vm + """
        class C
        {
            [Requires("v.Resv")] static void Inner(Vm v) { }
            [Requires("vm.Resv")]
            void Outer(Vm vm) { Inner(vm); }
        }
        """);

    [TestMethod]
    public Task ExistingAttributesAndCommentsAreKept() => GuardedVerify.VerifyAsync(
        Vm + """
        class C
        {
            int _y;

            // Reads the data.
            [Obsolete] int M(Vm vm) => {|XL0002:vm.Data|};
        }
        """,
        Vm + """
        class C
        {
            int _y;

            // Reads the data.
            [Requires("vm.Lock:read")]
            [Obsolete] int M(Vm vm) => vm.Data;
        }
        """);

    [TestMethod]
    public Task NotOfferedInsideALambda() => GuardedVerify.VerifyNoFixAsync(
        Vm + """
        class C
        {
            Func<int> M(Vm vm) => () => {|XL0002:vm.Data|};
        }
        """);

    [TestMethod]
    public Task NotOfferedWhenTheLockIsReachedThroughALocal() => GuardedVerify.VerifyNoFixAsync(
        Vm + """
        class C
        {
            int M(Vm[] all) { var vm = all[0]; return {|XL0002:vm.Data|}; }
        }
        """);
    [TestMethod]
    public Task NotOfferedOnAnAsyncMethod() => GuardedVerify.VerifyNoFixAsync(
        Vm + """
        class C
        {
            async System.Threading.Tasks.Task<int> M(Vm vm)
            {
                await System.Threading.Tasks.Task.Yield();
                return {|XL0002:vm.Data|};
            }
        }
        """);

    [TestMethod]
    public Task NotOfferedOnAMethodThatTakesTheLockItself() => GuardedVerify.VerifyNoFixAsync(
        """
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;

            void M()
            {
                lock (_sync) { _count++; }
                {|XL0002:_count|} = 0;
            }
        }
        """);

    [TestMethod]
    public Task NotOfferedOnAMethodThatTakesAPrimitiveItself() => GuardedVerify.VerifyNoFixAsync(
        Vm + """
        class C
        {
            int M(Vm vm)
            {
                using (vm.Lock.WriteGuard()) { vm.Data = 1; }
                return {|XL0002:vm.Data|};
            }
        }
        """);

    [TestMethod]
    public Task NotOfferedOnAPublicMethodRequiringAPrivateLock() => GuardedVerify.VerifyNoFixAsync(
        """
        public class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            public int Count() => {|XL0002:_count|};
            internal int CountInternal() => {|XL0002:_count|};
            protected int CountProtected() => {|XL0002:_count|};
        }
        """);

    [TestMethod]
    public Task NotOfferedWhereProtectedAndInternalDoNotCoverEachOther() => GuardedVerify.VerifyNoFixAsync(
        """
        public class C
        {
            protected readonly object Sync = new();
            internal readonly object Gate = new();
            [GuardedBy("Sync")] private int _a;
            [GuardedBy("Gate")] private int _b;
            internal int A() => {|XL0002:_a|};
            protected int B() => {|XL0002:_b|};
            protected internal int C2() => {|XL0002:_a|};
        }
        """);

    [TestMethod]
    public Task OfferedWhereEveryCallerCanNameTheLock() => GuardedVerify.VerifyAsync(
        """
        public class C
        {
            protected readonly object Sync = new();
            [GuardedBy("Sync")] private int _a;
            protected int A() => {|XL0002:_a|};
            private protected int B() => {|XL0002:_a|};
        }
        """,
        """
        public class C
        {
            protected readonly object Sync = new();
            [GuardedBy("Sync")] private int _a;
            [Requires("Sync")]
            protected int A() => _a;
            [Requires("Sync")]
            private protected int B() => _a;
        }
        """);

    [TestMethod]
    public Task NotOfferedOnOverridesOrInterfaceImplementations() => GuardedVerify.VerifyNoFixAsync(
        """
        public interface ICounter { int Read(); int Peek(); }
        public abstract class Base { public abstract int Last(); }
        public class C : Base, ICounter
        {
            public readonly object Sync = new();
            [GuardedBy("Sync")] private int _count;
            public int Read() => {|XL0002:_count|};
            int ICounter.Peek() => {|XL0002:_count|};
            public override int Last() => {|XL0002:_count|};
        }
        """);
}
