using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// <c>lockTaken</c>-style booleans across joins, checked by every rule at once:
/// <c>Monitor.Enter(o, ref taken)</c> on one path and <c>Monitor.TryEnter(o, t, ref taken)</c> on
/// the other join to "held iff taken", and a <c>bool</c> local assigned a constant is a known value
/// (so a <c>catch</c> path that starts before the try-acquire knows <c>taken</c> is false).
/// </summary>
[TestClass]
public sealed class TakenFlagJoinTests
{
    [TestMethod]
    public Task EnterOrTryEnter_JoinsToHeldIffTaken() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _sync = new();
            [GuardedBy("_sync")] private int _g;
            private object? _previous;
            private int _n;

            public void Write()
            {
                bool lockTaken = false;
                try
                {
                    if (_previous is null)
                        Monitor.Enter(_sync, ref lockTaken);
                    else
                        Monitor.TryEnter(_sync, 50, ref lockTaken);
                    _n++;
                    if (lockTaken) _g++;
                    {|#0:_g|}++;
                }
                finally
                {
                    if (lockTaken)
                        Monitor.Exit(_sync);
                }
            }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "_g", "_sync", "'this._sync' is not held"));

    [TestMethod]
    public Task TryEnterInTryWithCatch_FinallyReleaseIfTaken_NotReported() => Verify.VerifyAsync("""
        class C
        {
            private readonly object _lockObject = new();
            private int _n;

            public void Flush()
            {
                bool lockTaken = false;
                try
                {
                    lockTaken = Monitor.TryEnter(_lockObject, 100);
                    if (lockTaken)
                    {
                        _n++;
                    }
                }
                catch (Exception)
                {
                    Console.WriteLine("flush failed");
                }
                finally
                {
                    if (lockTaken)
                    {
                        Monitor.Exit(_lockObject);
                    }
                }
            }

            public void ConstantTrue_StillReported()
            {
                bool taken = true;
                try { taken = Monitor.TryEnter(_lockObject, 100); }
                catch (Exception) { }
                finally
                {
                    if (taken) {|#0:Monitor.Exit(_lockObject)|};
                }
            }

            public void AssignedByLambda_NotKnown()
            {
                bool taken = false;
                Action set = () => taken = true;
                set();
                if (taken) {|#1:Monitor.Exit(_lockObject)|};
            }
        }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'this._lockObject' is released but is not held"),
        Verify.Diagnostic("XL0007").WithLocation(1).WithArguments("'this._lockObject' is released but is not held"));
}
