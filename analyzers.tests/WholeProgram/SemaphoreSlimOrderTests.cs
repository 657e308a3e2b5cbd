using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.AllRulesVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// <c>SemaphoreSlim</c> locks in the order rules: the async ABBA (the common .NET deadlock) as
/// XL0011 with its chain, as XL0001 once <c>[LockOrder]</c> declares the order, XL0014 between two
/// ordered semaphores the order does not relate; try-acquires and counting semaphores make no edge.
/// Every rule runs, so each test also shows that nothing else is reported.
/// </summary>
[TestClass]
public sealed class SemaphoreSlimOrderTests
{
    [TestMethod]
    public Task AsyncAbba_TwoAsyncMethods_XL0011OnceWithTheChain() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Store
        {
            private readonly SemaphoreSlim _index = new(1, 1);
            private readonly SemaphoreSlim _data = new(1, 1);
            [GuardedBy("_index")] private int _entries;
            [GuardedBy("_data")] private long _bytes;

            public async Task PutAsync()
            {
                await _index.WaitAsync();
                try { _entries++; await {|#0:WriteDataAsync()|}; }
                finally { _index.Release(); }
            }

            private async Task WriteDataAsync()
            {
                await _data.WaitAsync().ConfigureAwait(false);
                try { await Task.Yield(); _bytes += 10; } finally { _data.Release(); }
            }

            public async Task CompactAsync()
            {
                await _data.WaitAsync();
                try
                {
                    await {|#1:_index.WaitAsync()|};
                    try { await Task.Yield(); _bytes = _entries; } finally { _index.Release(); }
                }
                finally { _data.Release(); }
            }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "Store._data → Store._index → Store._data: Store._index acquired while Store._data held at Test0.cs:28; " +
            "Store._data acquired while Store._index held at Test0.cs:13 (through WriteDataAsync(), which acquires it at Test0.cs:19)"));

    [TestMethod]
    public Task AsyncAbba_WithDeclaredOrder_XL0001AtTheReversedAcquisition() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Store
        {
            [LockOrder(Before = new[] { "Store._data" })] private readonly SemaphoreSlim _index = new(1, 1);
            private readonly SemaphoreSlim _data = new(1, 1);

            public async Task PutAsync()
            {
                await _index.WaitAsync();
                try { await WriteDataAsync(); }
                finally { _index.Release(); }
            }

            private async Task WriteDataAsync()
            {
                await _data.WaitAsync().ConfigureAwait(false);
                try { await Task.Yield(); } finally { _data.Release(); }
            }

            public async Task CompactAsync()
            {
                await _data.WaitAsync();
                try
                {
                    await {|#0:_index.WaitAsync()|};
                    _index.Release();
                }
                finally { _data.Release(); }
            }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("this._index", "this._data", "Store._index", "Store._data"));

    [TestMethod]
    public Task CountingSemaphoreAnnotatedWithLockOrder_IsALockInTheOrder() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Store
        {
            [LockOrder(Before = new[] { "Store._data" })] private readonly SemaphoreSlim _index;
            private readonly SemaphoreSlim _data;

            public Store(int n) { _index = new SemaphoreSlim(n); _data = new SemaphoreSlim(n); }

            public async Task CompactAsync()
            {
                await _data.WaitAsync();
                await {|#0:_index.WaitAsync()|};
                _index.Release();
                _data.Release();
            }
        }
        """,
        Verify.Diagnostic("XL0001").WithLocation(0).WithArguments("this._index", "this._data", "Store._index", "Store._data"));

    [TestMethod]
    public Task TwoOrderedSemaphoresTheOrderDoesNotRelate_XL0014() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Store
        {
            [LockOrder(Before = new[] { "Store._tail" })] private readonly SemaphoreSlim _index = new(1, 1);
            [LockOrder(Before = new[] { "Store._tail" })] private readonly SemaphoreSlim _data = new(1, 1);
            private readonly object _tail = new();

            public async Task PutAsync()
            {
                await _index.WaitAsync();
                await {|#0:_data.WaitAsync()|};
                _data.Release();
                _index.Release();
            }
        }
        """,
        Verify.Diagnostic("XL0014").WithLocation(0).WithArguments("this._data", "this._index", "Store._data", "Store._index"));

    [TestMethod]
    public Task TryAcquireAndCountingSemaphores_MakeNoEdge() => Verify.VerifyAsync("""
        using System.Threading.Tasks;
        class Store
        {
            private readonly SemaphoreSlim _index = new(1, 1);
            private readonly SemaphoreSlim _data = new(1, 1);
            private readonly SemaphoreSlim _slots = new(8, 8);
            private readonly SemaphoreSlim _more = new(8, 8);

            public async Task PutAsync()
            {
                await _index.WaitAsync();
                try { await _data.WaitAsync(); _data.Release(); }
                finally { _index.Release(); }
            }

            public async Task CompactAsync()
            {
                await _data.WaitAsync();
                try
                {
                    if (await _index.WaitAsync(TimeSpan.FromMilliseconds(10)))
                    {
                        _index.Release();
                    }
                }
                finally { _data.Release(); }
            }

            public async Task SlotsAsync()
            {
                await _slots.WaitAsync(); await _more.WaitAsync(); _more.Release(); _slots.Release();
                await _more.WaitAsync(); await _slots.WaitAsync(); _slots.Release(); _more.Release();
            }
        }
        """);
}
