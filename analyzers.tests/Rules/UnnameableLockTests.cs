using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// A lock no annotation can name (a local from a dictionary lookup): XL0008 does not report it
/// held at exit, XL0007 does not report its release in a body that never acquires it; a body
/// that acquires it is checked as usual. Checked by every rule at once.
/// </summary>
[TestClass]
public sealed class UnnameableLockTests
{
    [TestMethod]
    public Task EnterExitWrappers_OverPerKeyLocks_NotReported() => Verify.VerifyAsync("""
        using System.Collections.Concurrent;
        class LockService
        {
            private readonly ConcurrentDictionary<string, object> _collections = new();
            private readonly object _named = new();

            public void EnterLock(string name)
            {
                var collection = _collections.GetOrAdd(name, _ => new object());
                if (!Monitor.TryEnter(collection, 1000)) throw new TimeoutException();
            }

            public void ExitLock(string name)
            {
                if (!_collections.TryGetValue(name, out var collection)) throw new InvalidOperationException();
                Monitor.Exit(collection);
            }

            public void SameBody_DoubleRelease(string name)
            {
                var c = _collections.GetOrAdd(name, _ => new object());
                Monitor.Enter(c);
                Monitor.Exit(c);
                {|#0:Monitor.Exit(c)|};
            }

            public void SameBody_Inconsistent(string name, bool b)
            {
                var c = _collections.GetOrAdd(name, _ => new object());
                if (b) {|#1:Monitor.Enter(c)|};
                Console.WriteLine();
            }

            public void Nameable_StillReported()
            {
                {|#2:Monitor.Exit(_named)|};
            }
        }
        """,
        Verify.Diagnostic("XL0007").WithLocation(0).WithArguments("'c' is released but is not held"),
        Verify.Diagnostic("XL0008").WithLocation(1).WithArguments("'c' is held on some paths into line 32 and not on others"),
        Verify.Diagnostic("XL0007").WithLocation(2).WithArguments("'this._named' is released but is not held"));
}
