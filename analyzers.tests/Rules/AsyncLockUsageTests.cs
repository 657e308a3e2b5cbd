using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Analyzers.Rules;
using XeLocked.Analyzers.Tests.Verifiers;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// The analyzer understands the shipped async locks (<c>TrackedAsyncMutex</c>,
/// <c>TrackedAsyncRwLock</c>, <c>[LockPrimitive(AsyncAware = true)]</c>) in their intended usage:
/// <c>await using (await x.LockAsync())</c> holds the lock for the block, across awaits (no XL0013),
/// satisfies <c>[GuardedBy]</c> there (XL0002) and nowhere else, and nests in the declared order
/// (XL0001 otherwise).
/// </summary>
[TestClass]
public sealed class AsyncLockUsageTests
{
    private const string Model = """
        class Cache
        {
            [LockOrder(Before = new[] { "Catalog.Index" })]
            public readonly TrackedAsyncMutex Gate = new("Cache.Gate");
            [GuardedBy("Gate")] public int Data;
        }
        class Catalog
        {
            public readonly TrackedAsyncRwLock Index = new("Catalog.Index");
            [GuardedBy("Index")] public int Count;
        }

        """;

    private const string Clean = Model + """
        class C
        {
            async Task Refresh(Cache c, CancellationToken ct)
            {
                await using (await c.Gate.LockAsync(ct))
                {
                    c.Data = await Task.FromResult(c.Data + 1);
                    await Task.Yield();
                    c.Data++;
                }
            }

            async Task<int> Read(Catalog k)
            {
                await using (await k.Index.ReadLockAsync())
                {
                    await Task.Yield();
                    return k.Count;
                }
            }

            async Task Write(Catalog k)
            {
                await using var g = await k.Index.WriteLockAsync();
                await Task.Delay(1);
                k.Count++;
            }

            async Task Nested(Cache c, Catalog k)
            {
                await using (await c.Gate.LockAsync())
                await using (await k.Index.WriteLockAsync())
                {
                    await Task.Yield();
                    c.Data = k.Count;
                }
            }

            async Task Try(Cache c)
            {
                if (await c.Gate.TryLockAsync(TimeSpan.FromSeconds(1)))
                {
                    try { await Task.Yield(); c.Data++; }
                    finally { c.Gate.Unlock(); }
                }
            }

            void Sync(Cache c)
            {
                c.Gate.Lock();
                try { c.Data++; }
                finally { c.Gate.Unlock(); }
            }
        }
        """;

    [TestMethod]
    public Task HeldAcrossAwait_IsNotXL0013() => RealLocksVerifier<AwaitAnalyzer>.VerifyAsync(Clean);

    [TestMethod]
    public Task GuardedAccessInsideTheScopes_IsNotXL0002() => RealLocksVerifier<GuardedAccessAnalyzer>.VerifyAsync(Clean);

    [TestMethod]
    public Task DeclaredOrder_IsNotXL0001() => RealLocksVerifier<LockOrderAnalyzer>.VerifyAsync(Clean);

    [TestMethod]
    public Task AcquireRelease_NoLeakNorBadRelease() => RealLocksVerifier<AcquireReleaseAnalyzer>.VerifyAsync(Clean);

    [TestMethod]
    public Task HeldLocks_NoFinding() => RealLocksVerifier<HeldLocksAnalyzer>.VerifyAsync(Clean);

    [TestMethod]
    public Task GuardedAccessAfterTheScope_IsXL0002() => RealLocksVerifier<GuardedAccessAnalyzer>.VerifyAsync(Model + """
        class C
        {
            async Task M(Cache c, Catalog k)
            {
                await using (await c.Gate.LockAsync())
                {
                    c.Data++;
                }

                {|#0:c.Data|}++;
                await using (await k.Index.ReadLockAsync())
                {
                    {|#1:k.Count|} = 1;
                }
            }
        }
        """,
        RealLocksVerifier<GuardedAccessAnalyzer>.Diagnostic("XL0002").WithLocation(0).WithArguments("Writing", "Data", "Gate", "'c.Gate' is not held"),
        RealLocksVerifier<GuardedAccessAnalyzer>.Diagnostic("XL0003").WithLocation(1).WithArguments("Count", "k.Index"));

    [TestMethod]
    public Task OutOfOrderNesting_IsXL0001() => RealLocksVerifier<LockOrderAnalyzer>.VerifyAsync(Model + """
        class C
        {
            async Task M(Cache c, Catalog k)
            {
                await using (await k.Index.ReadLockAsync())
                {
                    await Task.Yield();
                    await using (await {|#0:c.Gate.LockAsync()|})
                    {
                    }
                }
            }
        }
        """,
        RealLocksVerifier<LockOrderAnalyzer>.Diagnostic("XL0001").WithLocation(0).WithArguments("c.Gate", "k.Index", "Cache.Gate", "Catalog.Index"));
}
