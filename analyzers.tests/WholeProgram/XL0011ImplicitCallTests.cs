using Microsoft.CodeAnalysis.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// XL0011 through the calls the compiler makes for the user: <c>foreach</c>, <c>using</c> and
/// <c>await using</c>, user-defined operators and conversions, indexers, event accessors,
/// custom awaiters, <c>Deconstruct</c>, collection initializers and collection expressions. Each
/// construct is followed both where it is made with a lock held (reported at the construct) and
/// inside a callee (the callee's summary includes it).
/// </summary>
[TestClass]
public sealed class XL0011ImplicitCallTests
{
    // Lines: 1 usings, 2-4 the model (G.TakeB acquires B.Lock at line 4), the test's types from line 5.
    private const string Model = """
        class A { public readonly Mutex Lock = new(); }
        class B { public readonly Mutex Lock = new(); }
        static class G { public static readonly A A = new(); public static readonly B B = new(); public static int TakeB() { using (B.Lock.Guard()) { return 1; } } }

        """;

    /// <summary>Holding B, taking A: the other half of every cycle (on the line after the test's last one).</summary>
    private const string Reverse = "\n    void Reverse() { using (G.B.Lock.Guard()) { using ({|#1:G.A.Lock.Guard()|}) { } } }\n}\n";

    private static DiagnosticResult Cycle(int callLine, string chain, int reverseLine) =>
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            $"A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at Test0.cs:{callLine} (through {chain}, which acquires it at Test0.cs:4); " +
            $"A.Lock acquired while B.Lock held at Test0.cs:{reverseLine}");

    // ---- foreach ----

    private const string Bag = """
        sealed class Bag { public Cursor GetEnumerator() => new Cursor(); }

        """;

    [TestMethod]
    public Task ForEach_MoveNext() => Verify.VerifyAsync(Model + Bag + """
        sealed class Cursor { public int Current => 0; public bool MoveNext() => G.TakeB() < 0; }
        class C
        {
            void M(Bag bag) { using (G.A.Lock.Guard()) { foreach (var x in {|#0:bag|}) { } } }
        """ + Reverse,
        Cycle(9, "MoveNext() → TakeB()", 10));

    [TestMethod]
    public Task ForEach_Current() => Verify.VerifyAsync(Model + Bag + """
        sealed class Cursor { public int Current => G.TakeB(); public bool MoveNext() => false; }
        class C
        {
            void M(Bag bag) { using (G.A.Lock.Guard()) { foreach (var x in {|#0:bag|}) { } } }
        """ + Reverse,
        Cycle(9, "Current.get → TakeB()", 10));

    [TestMethod]
    public Task ForEach_EnumeratorDispose() => Verify.VerifyAsync(Model + Bag + """
        sealed class Cursor : IDisposable { public int Current => 0; public bool MoveNext() => false; public void Dispose() { G.TakeB(); } }
        class C
        {
            void M(Bag bag) { using (G.A.Lock.Guard()) { foreach (var x in {|#0:bag|}) { } } }
        """ + Reverse,
        Cycle(9, "Dispose() → TakeB()", 10));

    [TestMethod]
    public Task ForEach_IteratorGetEnumerator() => Verify.VerifyAsync(Model + """
        sealed class Bag : System.Collections.Generic.IEnumerable<int>
        {
            public System.Collections.Generic.IEnumerator<int> GetEnumerator() { G.TakeB(); yield return 1; }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
        class C
        {
            void M(Bag bag) { using (G.A.Lock.Guard()) { foreach (var x in {|#0:bag|}) { } } }
        """ + Reverse,
        Cycle(12, "GetEnumerator() → TakeB()", 13));

    [TestMethod]
    public Task ForEach_Deconstruct() => Verify.VerifyAsync(Model + """
        readonly struct Pair { public void Deconstruct(out int k, out int v) { k = G.TakeB(); v = 0; } }
        class C
        {
            void M(Pair[] pairs) { using (G.A.Lock.Guard()) { foreach (var (k, v) in {|#0:pairs|}) { } } }
        """ + Reverse,
        Cycle(8, "Deconstruct() → TakeB()", 9));

    [TestMethod]
    public Task ForEach_InACallee() => Verify.VerifyAsync(Model + Bag + """
        sealed class Cursor : IDisposable { public int Current => 0; public bool MoveNext() => false; public void Dispose() { G.TakeB(); } }
        class C
        {
            static void Drain(Bag bag) { foreach (var x in bag) { } }
            void M(Bag bag) { using (G.A.Lock.Guard()) { {|#0:Drain(bag)|}; } }
        """ + Reverse,
        Cycle(10, "Drain() → Dispose() → TakeB()", 11));

    [TestMethod]
    public Task ForEach_WithoutLocksInTheEnumerator_NoEdge() => Verify.VerifyAsync(Model + Bag + """
        sealed class Cursor : IDisposable { public int Current => 0; public bool MoveNext() => false; public void Dispose() { } }
        class C
        {
            static void Drain(Bag bag) { foreach (var x in bag) { } }
            void M(Bag bag, System.Collections.Generic.List<int> list)
            {
                using (G.A.Lock.Guard()) { foreach (var x in bag) { } Drain(bag); foreach (var y in list) { } }
            }
        """ + Reverse);

    // ---- using ----

    private const string Session = """
        sealed class Session : IDisposable { public void Dispose() { G.TakeB(); } }

        """;

    [TestMethod]
    public Task Using_Dispose() => Verify.VerifyAsync(Model + Session + """
        class C
        {
            void M() { using (G.A.Lock.Guard()) { using (var {|#0:s = new Session()|}) { } } }
        """ + Reverse,
        Cycle(8, "Dispose() → TakeB()", 9));

    [TestMethod]
    public Task UsingDeclaration_Dispose() => Verify.VerifyAsync(Model + Session + """
        class C
        {
            void M() { using (G.A.Lock.Guard()) { using var {|#0:s = new Session()|}; } }
        """ + Reverse,
        Cycle(8, "Dispose() → TakeB()", 9));

    [TestMethod]
    public Task UsingAnExistingResource_Dispose() => Verify.VerifyAsync(Model + Session + """
        class C
        {
            void M(Session s) { using (G.A.Lock.Guard()) { using ({|#0:s|}) { } } }
        """ + Reverse,
        Cycle(8, "Dispose() → TakeB()", 9));

    [TestMethod]
    public Task UsingARefStruct_PatternDispose() => Verify.VerifyAsync(Model + """
        ref struct Scope { public void Dispose() { G.TakeB(); } }
        class C
        {
            void M() { using (G.A.Lock.Guard()) { using (var {|#0:s = new Scope()|}) { } } }
        """ + Reverse,
        Cycle(8, "Dispose() → TakeB()", 9));

    [TestMethod]
    public Task AwaitUsing_DisposeAsync() => Verify.VerifyAsync(Model + """
        sealed class Session : IAsyncDisposable { public System.Threading.Tasks.ValueTask DisposeAsync() { G.TakeB(); return default; } }
        class C
        {
            async System.Threading.Tasks.Task M() { using (G.A.Lock.Guard()) { await using (var {|#0:s = new Session()|}) { } } }
        """ + Reverse,
        Cycle(8, "DisposeAsync() → TakeB()", 9));

    [TestMethod]
    public Task Using_InACallee() => Verify.VerifyAsync(Model + Session + """
        class C
        {
            static void Run() { using (new Session()) { } }
            void M() { using (G.A.Lock.Guard()) { {|#0:Run()|}; } }
        """ + Reverse,
        Cycle(9, "Run() → Dispose() → TakeB()", 10));

    [TestMethod]
    public Task AwaitUsing_InACallee() => Verify.VerifyAsync(Model + """
        sealed class Session { public System.Threading.Tasks.ValueTask DisposeAsync() { G.TakeB(); return default; } }
        class C
        {
            static async System.Threading.Tasks.Task Run() { await using var s = new Session(); }
            void M() { using (G.A.Lock.Guard()) { _ = {|#0:Run()|}; } }
        """ + Reverse,
        Cycle(9, "Run() → DisposeAsync() → TakeB()", 10));

    [TestMethod]
    public Task Using_DisposeWithoutALock_NoEdge() => Verify.VerifyAsync(Model + """
        sealed class Session : IDisposable { public void Dispose() { } }
        class C
        {
            static void Run() { using (new Session()) { } }
            void M() { using (G.A.Lock.Guard()) { using (new Session()) { } Run(); } }
        """ + Reverse);

    // ---- operators and conversions ----

    private const string Money = """
        readonly struct Money
        {
            public static Money operator +(Money a, Money b) { G.TakeB(); return a; }
            public static Money operator -(Money a) { G.TakeB(); return a; }
            public static Money operator ++(Money a) { G.TakeB(); return a; }
            public static bool operator true(Money a) { G.TakeB(); return true; }
            public static bool operator false(Money a) => false;
            public static Money operator &(Money a, Money b) => a;
            public static implicit operator int(Money m) => G.TakeB();
            public static explicit operator Money(int cents) { G.TakeB(); return default; }
            public static Money operator *(Money a, int n) => a;
        }

        """;

    [TestMethod]
    public Task BinaryOperator() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            Money M(Money x, Money y) { using (G.A.Lock.Guard()) { return {|#0:x + y|}; } }
        """ + Reverse,
        Cycle(19, "operator + → TakeB()", 20));

    [TestMethod]
    public Task UnaryOperator() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            Money M(Money x) { using (G.A.Lock.Guard()) { return {|#0:-x|}; } }
        """ + Reverse,
        Cycle(19, "operator - → TakeB()", 20));

    [TestMethod]
    public Task IncrementOperator() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            void M(Money x) { using (G.A.Lock.Guard()) { {|#0:x++|}; } }
        """ + Reverse,
        Cycle(19, "operator ++ → TakeB()", 20));

    [TestMethod]
    public Task CompoundAssignmentOperator() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            void M(Money x, Money y) { using (G.A.Lock.Guard()) { {|#0:x += y|}; } }
        """ + Reverse,
        Cycle(19, "operator + → TakeB()", 20));

    [TestMethod]
    public Task ConditionalAndWithOperatorTrue() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            void M(Money x, Money y) { using (G.A.Lock.Guard()) { if ({|#0:x && y|}) { } } }
        """ + Reverse,
        Cycle(19, "operator true → TakeB()", 20));

    [TestMethod]
    public Task ImplicitConversion() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            int M(Money x) { using (G.A.Lock.Guard()) { int cents = {|#0:x|}; return cents; } }
        """ + Reverse,
        Cycle(19, "implicit operator int → TakeB()", 20));

    [TestMethod]
    public Task ExplicitConversion() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            Money M() { using (G.A.Lock.Guard()) { return {|#0:(Money)3|}; } }
        """ + Reverse,
        Cycle(19, "explicit operator Money → TakeB()", 20));

    [TestMethod]
    public Task Operator_InACallee() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            static Money Sum(Money x, Money y) => x + y;
            Money M(Money x) { using (G.A.Lock.Guard()) { return {|#0:Sum(x, x)|}; } }
        """ + Reverse,
        Cycle(20, "Sum() → operator + → TakeB()", 21));

    [TestMethod]
    public Task OperatorsWithoutALock_AndBuiltInOnes_NoEdge() => Verify.VerifyAsync(Model + Money + """
        class C
        {
            static Money Twice(Money x) => x * 2;
            Money M(Money x, int n) { using (G.A.Lock.Guard()) { n = n + 1; n++; _ = (long)n; _ = Twice(x); return x * n; } }
        """ + Reverse);

    // ---- indexers, properties, events ----

    private const string Table = """
        sealed class Table
        {
            public int this[int i] { get => G.TakeB(); set { } }
            public int Length => 1;
            public event Action? Changed { add { G.TakeB(); } remove { } }
            public int Size { get => 0; set => G.TakeB(); }
        }

        """;

    [TestMethod]
    public Task IndexerGet() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            int M(Table t) { using (G.A.Lock.Guard()) { return {|#0:t[1]|}; } }
        """ + Reverse,
        Cycle(14, "this[].get → TakeB()", 15));

    [TestMethod]
    public Task IndexFromEnd_UsesLengthAndTheIndexer() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            int M(Table t) { using (G.A.Lock.Guard()) { return {|#0:t[^1]|}; } }
        """ + Reverse,
        Cycle(14, "this[].get → TakeB()", 15));

    [TestMethod]
    public Task PropertySet() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            void M(Table t) { using (G.A.Lock.Guard()) { {|#0:t.Size|} = 2; } }
        """ + Reverse,
        Cycle(14, "Size.set → TakeB()", 15));

    [TestMethod]
    public Task EventAdd() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            void M(Table t, Action handler) { using (G.A.Lock.Guard()) { {|#0:t.Changed += handler|}; } }
        """ + Reverse,
        Cycle(14, "Changed.add → TakeB()", 15));

    [TestMethod]
    public Task EventAdd_InACallee() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            static void Watch(Table t) => t.Changed += () => { };
            void M(Table t) { using (G.A.Lock.Guard()) { {|#0:Watch(t)|}; } }
        """ + Reverse,
        Cycle(15, "Watch() → Changed.add → TakeB()", 16));

    [TestMethod]
    public Task AccessorsWithoutALock_NoEdge() => Verify.VerifyAsync(Model + Table + """
        class C
        {
            static int Peek(Table t) => t.Size;
            void M(Table t, Action handler) { using (G.A.Lock.Guard()) { t[0] = 1; _ = t.Size; t.Changed -= handler; _ = Peek(t); } }
        """ + Reverse);

    // ---- await ----

    private const string Job = """
        sealed class Job { public JobAwaiter GetAwaiter() => new JobAwaiter(); }
        sealed class JobAwaiter : System.Runtime.CompilerServices.INotifyCompletion
        {
            public bool IsCompleted => true;
            public int GetResult() => G.TakeB();
            public void OnCompleted(Action continuation) { }
        }

        """;

    [TestMethod]
    public Task Await_CustomAwaiter() => Verify.VerifyAsync(Model + Job + """
        class C
        {
            async System.Threading.Tasks.Task<int> M(Job j) { using (G.A.Lock.Guard()) { return {|#0:await j|}; } }
        """ + Reverse,
        Cycle(14, "GetResult() → TakeB()", 15));

    [TestMethod]
    public Task Await_CustomAwaiter_InACallee() => Verify.VerifyAsync(Model + Job + """
        class C
        {
            static async System.Threading.Tasks.Task<int> Wait(Job j) => await j;
            void M(Job j) { using (G.A.Lock.Guard()) { _ = {|#0:Wait(j)|}; } }
        """ + Reverse,
        Cycle(15, "Wait() → GetResult() → TakeB()", 16));

    [TestMethod]
    public Task Await_OfATask_NoEdge() => Verify.VerifyAsync(Model + """
        sealed class Job { public JobAwaiter GetAwaiter() => new JobAwaiter(); }
        sealed class JobAwaiter : System.Runtime.CompilerServices.INotifyCompletion
        {
            public bool IsCompleted => true;
            public int GetResult() => 0;
            public void OnCompleted(Action continuation) { }
        }
        class C
        {
            async System.Threading.Tasks.Task M(Job j, System.Threading.Tasks.Task t) { using (G.A.Lock.Guard()) { await t; await j; } }
        """ + Reverse);

    // ---- deconstruction, patterns, collections ----

    private const string Point = """
        readonly struct Point { public void Deconstruct(out int x, out int y) { x = G.TakeB(); y = 0; } }

        """;

    [TestMethod]
    public Task Deconstruction() => Verify.VerifyAsync(Model + Point + """
        class C
        {
            int M(Point p) { using (G.A.Lock.Guard()) { {|#0:var (x, y) = p|}; return x + y; } }
        """ + Reverse,
        Cycle(8, "Deconstruct() → TakeB()", 9));

    [TestMethod]
    public Task PositionalPattern() => Verify.VerifyAsync(Model + Point + """
        class C
        {
            bool M(Point p) { using (G.A.Lock.Guard()) { return p is {|#0:(1, 0)|}; } }
        """ + Reverse,
        Cycle(8, "Deconstruct() → TakeB()", 9));

    [TestMethod]
    public Task Deconstruction_InACallee() => Verify.VerifyAsync(Model + Point + """
        class C
        {
            static int X(Point p) { var (x, _) = p; return x; }
            int M(Point p) { using (G.A.Lock.Guard()) { return {|#0:X(p)|}; } }
        """ + Reverse,
        Cycle(9, "X() → Deconstruct() → TakeB()", 10));

    private const string Registry = """
        sealed class Registry : System.Collections.Generic.IEnumerable<int>
        {
            public void Add(int id) { G.TakeB(); }
            public System.Collections.Generic.IEnumerator<int> GetEnumerator() { yield break; }
            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }

        """;

    [TestMethod]
    public Task CollectionInitializer_Add() => Verify.VerifyAsync(Model + Registry + """
        class C
        {
            Registry M() { using (G.A.Lock.Guard()) { return new Registry { {|#0:1|}, 2 }; } }
        """ + Reverse,
        Cycle(13, "Add() → TakeB()", 14));

    [TestMethod]
    public Task CollectionExpression_Add() => Verify.VerifyAsync(Model + Registry + """
        class C
        {
            Registry M() { using (G.A.Lock.Guard()) { return {|#0:[1, 2]|}; } }
        """ + Reverse,
        Cycle(13, "Add() → TakeB()", 14));

    [TestMethod]
    public Task CollectionExpression_InACallee() => Verify.VerifyAsync(Model + Registry + """
        class C
        {
            static Registry Make() => [1];
            Registry M() { using (G.A.Lock.Guard()) { return {|#0:Make()|}; } }
        """ + Reverse,
        Cycle(14, "Make() → Add() → TakeB()", 15));

    [TestMethod]
    public Task DeconstructionAndCollectionsWithoutALock_NoEdge() => Verify.VerifyAsync(Model + """
        readonly struct Point { public void Deconstruct(out int x, out int y) { x = 0; y = 0; } }
        class C
        {
            int M(Point p) { using (G.A.Lock.Guard()) { var (x, y) = p; var (a, b) = (1, 2); int[] xs = [1, 2]; var list = new System.Collections.Generic.List<int> { 1 }; return p is (0, 0) ? x : a; } }
        """ + Reverse);
}
