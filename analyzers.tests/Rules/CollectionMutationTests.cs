using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.Verifiers.FlowVerifier<XeLocked.Analyzers.Rules.GuardedAccessAnalyzer>;

namespace XeLocked.Analyzers.Tests.Rules;

/// <summary>
/// A call of a mutating member of a BCL collection on a guarded field or property
/// (<c>_items.Add(x)</c>, <c>_map[k] = v</c>) is a write of that member for its lock's mode: XL0003
/// under a read lock, XL0002 ("Modifying") without the lock; reads (<c>Count</c>,
/// <c>Contains</c>, <c>TryGetValue</c>, the indexer get) stay reads, and concurrent collections are
/// not affected.
/// </summary>
[TestClass]
public sealed class CollectionMutationTests
{
    private const string Store = """
        using System.Collections.Generic;
        using System.Collections.Concurrent;
        using System.Collections.ObjectModel;

        public class Store
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private readonly List<int> _items = new();
            [GuardedBy("_rw")] private readonly Dictionary<int, int> _map = new();
            [GuardedBy("_rw")] private readonly ICollection<int> _bag = new HashSet<int>();
            [GuardedBy("_rw")] private readonly Queue<int> _queue = new();
            [GuardedBy("_rw")] private readonly LinkedList<int> _linked = new();
            [GuardedBy("_rw")] private readonly Collection<int> _collection = new();
            [GuardedBy("_rw")] private readonly ConcurrentDictionary<int, int> _concurrent = new();
            [GuardedBy("_rw")] private List<int> Items { get; } = new();

        """;

    [TestMethod]
    public Task MutationUnderReadLock_IsXL0003() => Verify.VerifyAsync("""
        using System.Collections.Generic;

        public class R10_MutationUnderReadLock
        {
            private readonly ReaderWriterLockSlim _rw = new();
            [GuardedBy("_rw")] private readonly List<int> _items = new();
            public void AddUnderReadLock() { _rw.EnterReadLock(); try { {|#0:_items|}.Add(1); } finally { _rw.ExitReadLock(); } }
        }
        """,
        Verify.Diagnostic("XL0003").WithLocation(0).WithArguments("_items", "this._rw"));

    [TestMethod]
    public Task EveryKindOfMutator_UnderReadLock_IsXL0003() => Verify.VerifyAsync(Store + """
            void M(int k)
            {
                _rw.EnterReadLock();
                try
                {
                    {|XL0003:_items|}.Insert(0, 1);
                    {|XL0003:_items|}.RemoveAll(x => x > 3);
                    {|XL0003:_items|}[0] = 2;
                    {|XL0003:_items|}[0]++;
                    {|XL0003:_map|}[k] = 1;
                    {|XL0003:_map|}.Remove(k);
                    {|XL0003:_map|}.TryAdd(k, 2);
                    {|XL0003:_bag|}.Add(k);
                    {|XL0003:_bag|}.Clear();
                    {|XL0003:_queue|}.Dequeue();
                    {|XL0003:_linked|}.AddLast(k);
                    {|XL0003:_collection|}.Add(k);
                    {|XL0003:Items|}.Add(k);
                }
                finally { _rw.ExitReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task ReadsAndConcurrentCollections_UnderReadLock_NotReported() => Verify.VerifyAsync(Store + """
            int M(int k)
            {
                _rw.EnterReadLock();
                try
                {
                    var n = _items.Count + _items[0] + _map[k] + _queue.Peek() + _linked.Count + Items.Count;
                    if (_items.Contains(k) && _map.TryGetValue(k, out var v) && _bag.Contains(v)) n++;
                    foreach (var x in _items) n += x;
                    _concurrent[k] = 1;
                    _concurrent.TryAdd(k, 2);
                    _concurrent.TryRemove(k, out _);
                    return n + _items.IndexOf(k);
                }
                finally { _rw.ExitReadLock(); }
            }
        }
        """);

    [TestMethod]
    public Task MutationUnderWriteLock_NotReported() => Verify.VerifyAsync(Store + """
            void M(int k)
            {
                _rw.EnterWriteLock();
                try { _items.Add(k); _map[k] = 1; _bag.Remove(k); Items.Clear(); }
                finally { _rw.ExitWriteLock(); }
            }
        }
        """);

    [TestMethod]
    public Task MutationWithoutTheLock_IsXL0002_Modifying() => Verify.VerifyAsync(Store + """
            void M(int k) { {|#0:_items|}.Add(k); _ = {|#1:_items|}.Count; }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Modifying", "_items", "_rw", "'this._rw' is not held"),
        Verify.Diagnostic("XL0002").WithLocation(1).WithArguments("Reading", "_items", "_rw", "'this._rw' is not held"));

    [TestMethod]
    public Task MutationOfAWriteGuardedCollection_NeedsTheWriteRequirement() => Verify.VerifyAsync("""
        using System.Collections.Generic;

        public class Split
        {
            private readonly object _a = new();
            private readonly object _b = new();
            [GuardedBy("_a", Write = "_a & _b")] private readonly List<int> _items = new();
            int Read() { lock (_a) { return _items.Count; } }
            void Add() { lock (_a) { {|#0:_items|}.Add(1); } }
            void AddBoth() { lock (_a) { lock (_b) { _items.Add(1); } } }
        }
        """,
        Verify.Diagnostic("XL0002").WithLocation(0).WithArguments("Modifying", "_items", "_a & _b", "'this._b' is not held"));
}
