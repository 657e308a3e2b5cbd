using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;
using VerifyHeld = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.HeldLocksAnalyzer>;
using VerifyAll = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>lock</c> on a <c>System.Threading.Lock</c> in nullable-enabled code, which Roslyn's graph leaves
/// un-lowered (an invalid operation with the body inline): the lock is held exactly for the body.
/// </summary>
[TestClass]
public sealed class LockStatementOnLockTests
{
    private const string Counter = """
        class Counter
        {
            private readonly Lock _gate = new();
            [GuardedBy("_gate")] private int _count;

        """;

    [TestMethod]
    public Task HeldInsideTheBodyOnly() => Verify.VerifyAsync(Counter + """
            void M() { lock (_gate) { _count++; } {|XL0002:_count|}++; }
        }
        """);

    [TestMethod]
    public Task ReleasedOnBreakContinueAndReturnPaths() => Verify.VerifyAsync(Counter + """
            int M(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    lock (_gate)
                    {
                        if (i == 1) continue;
                        if (i == 2) break;
                        if (i == 3) return _count;
                        _count += i;
                    }
                }
                return {|XL0002:_count|};
            }
        }
        """);

    [TestMethod]
    public Task NestedAndSequentialLocks_NoDiagnostics() => Verify.VerifyAsync(Counter + """
            private readonly Lock _other = new();
            [GuardedBy("_other")] private int _x;
            void M() { lock (_gate) { lock (_other) { _x = _count; } _count++; } lock (_other) { _x++; } }
        }
        """);

    [TestMethod]
    public Task NoLeakOrJoinReportsForLockStatements() => VerifyHeld.VerifyAsync(Counter + """
            int M(bool b) { lock (_gate) { if (b) return 1; _count++; } return 0; }
        }
        """);

    [TestMethod]
    public Task NullableDisabledRegion_LoweredGraphStillWorks() => Verify.VerifyAsync("#nullable disable\n" + Counter + """
            void M() { lock (_gate) { _count++; } {|XL0002:_count|}++; }
        }
        """);

    [TestMethod]
    public Task LockStatementInsideTryFinallyAndLoop_NoDiagnostics() => Verify.VerifyAsync(Counter + """
            void M(int n)
            {
                try { for (var i = 0; i < n; i++) { lock (_gate) { _count += i; } } }
                finally { lock (_gate) { _count = 0; } }
            }
        }
        """);
    // A nested `lock` on the same Lock: the inner statement is a re-acquisition (XL0006) and nothing
    // else, with nullable analysis on (the un-lowered form) as without it (the lowered form).
    private const string NestedSameLock = """
            void M() { lock (_gate) { lock ({|#0:_gate|}) { _count++; } _count++; } }
        }
        """;

    [TestMethod]
    public Task NestedLockOnTheSameLock_Nullable_XL0006Only() => VerifyAll.VerifyAsync(Counter + NestedSameLock,
        VerifyAll.Diagnostic("XL0006").WithLocation(0).WithArguments("'this._gate' is acquired while already held (acquired at line 6)"));

    [TestMethod]
    public Task NestedLockOnTheSameLock_WithoutNullable_XL0006Only() => VerifyAll.VerifyWithoutNullableAsync(Counter + NestedSameLock,
        VerifyAll.Diagnostic("XL0006").WithLocation(0).WithArguments("'this._gate' is acquired while already held (acquired at line 6)"));

    [TestMethod]
    public Task TripleNestedLock_ReleasedLevelByLevel() => VerifyAll.VerifyAsync(Counter + """
            void M()
            {
                lock (_gate)
                {
                    lock ({|XL0006:_gate|}) { lock ({|XL0006:_gate|}) { _count++; } _count++; }
                    _count++;
                }
                {|XL0002:_count|}++;
            }
        }
        """);
}
