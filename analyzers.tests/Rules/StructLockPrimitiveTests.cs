using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>[LockPrimitive]</c> on a struct (a spin lock kept inline, like <c>System.Threading.SpinLock</c>):
/// a field of that type is a lock, named by its path, checked by every rule like a class primitive.
/// </summary>
[TestClass]
public sealed class StructLockPrimitiveTests
{
    private const string Spin = """
        [LockPrimitive(LockKind.Exclusive)]
        public struct SpinGate
        {
            private int _state;
            [Acquires("this")] public void Enter() { while (Interlocked.Exchange(ref _state, 1) != 0) { } }
            [TryAcquires(true, "this")] public bool TryEnter() => Interlocked.Exchange(ref _state, 1) == 0;
            [Releases("this")] public void Exit() { Volatile.Write(ref _state, 0); }
        }

        class Queue
        {
            private SpinGate _gate;
            [GuardedBy("_gate")] private int _count;

        """;

    [TestMethod]
    public Task StructPrimitive_IsALock() => Verify.VerifyAsync(Spin + """
            void Add() { _gate.Enter(); _count++; _gate.Exit(); }
            bool TryAdd() { if (!_gate.TryEnter()) return false; _count++; _gate.Exit(); return true; }
            [Requires("_gate")] int CountLocked() => _count;
            int Count() { _gate.Enter(); try { return CountLocked(); } finally { _gate.Exit(); } }
        }
        """);

    [TestMethod]
    public Task StructPrimitive_EveryRuleApplies() => Verify.VerifyAsync(Spin + """
            [Requires("_gate")] int CountLocked() => _count;
            void Bad()
            {
                {|#0:_count|}++;
                {|#1:CountLocked()|};
                _gate.Enter();
                {|#2:_gate.Enter()|};
                _gate.Exit();
                _gate.Exit();
                {|#3:_gate.Exit()|};
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_count", "_gate", "'this._gate' is not held"),
        Verify.Diagnostic("XL0004").WithLocation(1).WithArguments("CountLocked", "_gate", "'this._gate' is not held"),
        Verify.Diagnostic("XL0006").WithLocation(2).WithArguments("'this._gate' is acquired while already held (acquired at line 20)"),
        Verify.Diagnostic("XL0007").WithLocation(3).WithArguments("'this._gate' is released but is not held"));
}
