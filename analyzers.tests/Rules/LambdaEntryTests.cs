using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// Which locks a lambda or local function starts with: those held where it runs, when that is
/// within the creating body's flow (a synchronous callback argument, a local delegate only invoked,
/// a local function only called); nothing but its own contract when it is stored, returned, handed
/// to a deferring API or subscribed (it runs later, on any thread).
/// </summary>
[TestClass]
public sealed class LambdaEntryTests
{
    private const string Counter = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class Counter
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _count;
            private readonly List<int> _items = new();
            private Action? _later;

        """;

    // ---- stored, returned, deferred: the lambda starts with nothing held ----

    [TestMethod]
    public Task CallbackStoredInAListNode_TakesTheSameLockLater_NotXL0006() => Verify.VerifyAsync("""
        using System.Collections.Generic;

        public class R4_DeferredLambda
        {
            private readonly LinkedList<Action> _pending = new();
            public Action Register()
            {
                lock (_pending)
                {
                    var node = new LinkedListNode<Action>(() => { });
                    _pending.AddLast(node);
                    node.Value = () =>
                    {
                        lock (_pending)
                        {
                            _pending.Remove(node);
                        }
                    };
                    return node.Value;
                }
            }
        }
        """);

    [TestMethod]
    public Task StoredOrReturnedLambda_TakesTheLockItself_NotXL0006() => Verify.VerifyAsync(Counter + """
            private readonly Action[] _slots = new Action[1];
            private readonly List<Action> _queue = new();
            private event Action? Changed;
            void ToField() { lock (_sync) { _later = () => { lock (_sync) { _count++; } }; } }
            void ToArray() { lock (_sync) { _slots[0] = () => { lock (_sync) { _count++; } }; } }
            void ToList() { lock (_sync) { _queue.Add(() => { lock (_sync) { _count++; } }); } }
            void ToEvent() { lock (_sync) { Changed += () => { lock (_sync) { _count++; } }; } }
            void ToConstructor() { lock (_sync) { new Thread(() => { lock (_sync) { _count++; } }).Start(); } }
            Action Returned() { lock (_sync) { return () => { lock (_sync) { _count++; } }; } }
            Func<int> InInitializer() { lock (_sync) { return new Holder { Run = () => { lock (_sync) { return _count; } } }.Run; } }
        }
        class Holder { public Func<int> Run = () => 0; }
        """);

    [TestMethod]
    public Task StoredLambda_AccessWithoutTheLock_IsXL0002() => Verify.VerifyAsync(Counter + """
            void ToField() { lock (_sync) { _later = () => {|XL0002:_count|}++; } }
            Func<int> Returned() { lock (_sync) { return () => {|XL0002:_count|}; } }
        }
        """);

    [TestMethod]
    public Task DeferringApis_RunTheLambdaWithoutTheCallersLocks() => Verify.VerifyAsync(Counter + """
            void Run() { lock (_sync) { Task.Run(() => { lock (_sync) { _count++; } }); } }
            void RunUnlocked() { lock (_sync) { Task.Run(() => {|XL0002:_count|}++); } }
            void Queue() { lock (_sync) { ThreadPool.QueueUserWorkItem(_ => {|XL0002:_count|}++); } }
            void Continue(Task t) { lock (_sync) { t.ContinueWith(_ => { lock (_sync) { _count++; } }); } }
            void Cancel(CancellationToken ct) { lock (_sync) { ct.Register(() => {|XL0002:_count|}++); } }
            void StartNew() { lock (_sync) { Task.Factory.StartNew(() => { lock (_sync) { _count++; } }); } }
        }
        """);

    [TestMethod]
    public Task SourceMethodThatStoresItsCallback_NotInherited() => Verify.VerifyAsync(Counter + """
            void Keep(Action a) { _later = a; }
            void Each(Action a) { a(); a.Invoke(); a?.Invoke(); }
            void Stored() { lock (_sync) { Keep(() => { lock (_sync) { _count++; } }); } }
            void StoredUnlocked() { lock (_sync) { Keep(() => {|XL0002:_count|}++); } }
            void RunNow() { lock (_sync) { Each(() => _count++); } }
        }
        """);

    // ---- run synchronously: the lambda starts with the locks held where it runs ----

    [TestMethod]
    public Task SynchronousCallbackArguments_InheritTheHeldLocks() => Verify.VerifyAsync(Counter + """
            int Sum() { lock (_sync) { return _items.Sum(x => x + _count); } }
            void ForEach() { lock (_sync) { _items.ForEach(x => _count += x); } }
            bool Any() { lock (_sync) { return _items.Any(x => x == _count); } }
        }
        """);

    [TestMethod]
    public Task SynchronousCallback_TakesTheHeldMonitorAgain_IsXL0006() => Verify.VerifyAsync(Counter + """
            void ForEach() { lock (_sync) { _items.ForEach(x => { lock ({|XL0006:_sync|}) { _count += x; } }); } }
        }
        """);

    [TestMethod]
    public Task LocalDelegateInvokedOnly_InheritsTheLocksHeldAtItsInvocations() => Verify.VerifyAsync(Counter + """
            void Inside() { lock (_sync) { Action f = () => _count++; f(); f.Invoke(); } }
            void CreatedOutsideRunInside() { Action f = () => _count++; lock (_sync) { f(); } }
        }
        """);

    [TestMethod]
    public Task LocalDelegate_InvokedOnceWithoutTheLock_OrStored_IsXL0002() => Verify.VerifyAsync(Counter + """
            void AlsoOutside() { Action f = () => {|XL0002:_count|}++; lock (_sync) { f(); } f(); }
            void Stored() { Action f = () => {|XL0002:_count|}++; lock (_sync) { _later = f; } }
            void NeverInvoked() { lock (_sync) { Action f = () => {|XL0002:_count|}++; } }
        }
        """);

    [TestMethod]
    public Task LocalFunctionCalledOnlyUnderTheLock_InheritsIt() => Verify.VerifyAsync(Counter + """
            void M() { lock (_sync) { Bump(); Bump(); } void Bump() => _count++; }
            void Reentered() { lock (_sync) { Take(); } void Take() { lock ({|XL0006:_sync|}) { _count++; } } }
        }
        """);

    [TestMethod]
    public Task LocalFunction_CalledWithoutTheLock_Converted_Async_IsChecked() => Verify.VerifyAsync(Counter + """
            void AlsoOutside() { lock (_sync) { Bump(); } Bump(); void Bump() => {|XL0002:_count|}++; }
            void Converted() { lock (_sync) { Bump(); _later = Bump; } void Bump() => {|XL0002:_count|}++; }
            void Deferred() { lock (_sync) { Take(); _later = Take; } void Take() { lock (_sync) { _count++; } } }
            void FromALambda() { lock (_sync) { Action a = () => Bump(); a(); } void Bump() => {|XL0002:_count|}++; }
            Task Async() { lock (_sync) { return Bump(); } async Task Bump() { await Task.Yield(); {|XL0002:_count|}++; } }
        }
        """);
}
