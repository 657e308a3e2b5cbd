using System.Reflection;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using XeLocked.Annotations;
using XeLocked.Locking;
using XeLocked.Xe;
using static XeLocked.Runtime.Tests.Xe.XeFixtures;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>
/// The model's lock inventory (§2.1) against its annotations: every lock field's lockdep class is
/// "Type.Member" of the field, every [LockOrder] name refers to a real lock class of the model, and
/// the declared order contains §2.2's edges.
/// </summary>
[TestClass]
public sealed class LockInventoryTests
{
    private static readonly Type[] LockTypes = { typeof(TrackedMutex), typeof(TrackedRwSemaphore), typeof(TrackedSpinLock) };

    private static List<FieldInfo> LockFields() =>
        typeof(XeDevice).Assembly.GetTypes()
            .SelectMany(t => t.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(f => LockTypes.Contains(f.FieldType))
            .ToList();

    [TestMethod]
    public void EveryLockClassIsTypeDotMember()
    {
        using var xe = new XeDevice(new XeOptions { LatencyScale = 0 });
        var vm = xe.CreateSvmVm(2 * XeHarness.MiB);
        SvmRange? range = null;
        xe.Hooks.Set(HookPoint.AfterRangeLock, c => range = c.Range);
        xe.SubmitFault(new PageFaultRequest(vm.Asid, 0x1000_0000));
        Assert.IsTrue(xe.WaitIdle(TimeSpan.FromSeconds(10)));
        Vma vma;
        using (vm.Lock.ReadGuard())
        {
            vma = vm.FindVma(0x1000_0000)!;
        }

        var instances = new object[] { xe, vm, vm.Svm, vm.Svm.Gc, vm.Mm, vm.Resv, xe.Validation, xe.Queues[0], xe.Gts[0].Guc, vma, range! };
        var checkedFields = 0;
        foreach (var o in instances)
        {
            foreach (var f in LockFields().Where(f => f.DeclaringType == o.GetType()))
            {
                var l = (ITrackedLock)f.GetValue(o)!;
                Assert.AreEqual($"{f.DeclaringType!.Name}.{f.Name}", l.ClassName);
                checkedFields++;
            }
        }

        Assert.AreEqual(15, checkedFields, "every lock class but the workqueue's");
        xe.CloseVm(vm);
    }

    [TestMethod]
    public void EveryLockOrderNameIsALockClassOfTheModel()
    {
        var fields = LockFields();
        var classes = fields.Select(f => $"{f.DeclaringType!.Name}.{f.Name}").ToHashSet();
        foreach (var f in fields)
        {
            var order = f.GetCustomAttribute<LockOrderAttribute>();
            Assert.IsNotNull(order, $"{f.DeclaringType!.Name}.{f.Name} has no declared place in the hierarchy");

            foreach (var name in order.After.Concat(order.Before))
            {
                Assert.IsTrue(classes.Contains(name), $"{f.DeclaringType!.Name}.{f.Name}: [LockOrder] names unknown class '{name}'");
            }
        }
    }

    /// <summary>§2.2's edges are in the declared order lockdep loads (directly or transitively).</summary>
    [TestMethod]
    [DataRow("Vm.Lock", "GarbageCollector.Lock")]
    [DataRow("Vm.Lock", "SvmRange.Lock")]
    [DataRow("GarbageCollector.Lock", "SvmRange.Lock")]
    [DataRow("GarbageCollector.Lock", "DmaResv.Lock")]
    [DataRow("GarbageCollector.Lock", "GarbageCollector.ListLock")]
    [DataRow("SvmRange.Lock", "DmaResv.Lock")]
    [DataRow("SvmRange.Lock", "Svm.RangeLock")]
    [DataRow("Vm.Lock", "Vma.FaultLock")]
    [DataRow("Vma.FaultLock", "DmaResv.Lock")]
    [DataRow("Vm.Lock", "Svm.RangeLock")]
    [DataRow("Svm.RangeLock", "Svm.NotifierLock")]
    [DataRow("DmaResv.Lock", "Svm.NotifierLock")]
    [DataRow("SvmRange.Lock", "XeDevice.DriverMigrateLock")]
    [DataRow("SvmRange.Lock", "CpuMm.MmapLock")]
    [DataRow("Vma.FaultLock", "CpuMm.MmapLock")]
    [DataRow("CpuMm.MmapLock", "Svm.NotifierLock")]
    [DataRow("Svm.NotifierLock", "GarbageCollector.ListLock")]
    [DataRow("SvmRange.Lock", "Validation.Lock")]
    [DataRow("Validation.Lock", "DmaResv.Lock")]
    [DataRow("GucCt.Lock", "PageFaultQueue.Lock")]
    public void DeclaredOrderHasTheEdge(string outer, string inner)
    {
        Lockdep.LoadDeclaredOrder(typeof(XeDevice).Assembly);
        var edges = Lockdep.DeclaredOrder.Select(e => (e.ToString() ?? string.Empty)).ToList();
        Assert.IsTrue(Reachable(outer, inner), $"{outer} → {inner} not declared; edges: {string.Join("; ", edges)}");
    }

    /// <summary>The workqueue's pool lock is innermost: every other class is declared outside it, directly or transitively.</summary>
    [TestMethod]
    public void WorkQueuePoolLockIsAfterEveryOtherClass()
    {
        var classes = LockFields().Select(f => $"{f.DeclaringType!.Name}.{f.Name}").Distinct().ToList();
        Assert.AreEqual(16, classes.Count);
        foreach (var c in classes.Where(c => c != "WorkQueue.PoolLock"))
        {
            Assert.IsTrue(Reachable(c, "WorkQueue.PoolLock"), $"{c} → WorkQueue.PoolLock is not declared");
            Assert.IsFalse(Reachable("WorkQueue.PoolLock", c), $"WorkQueue.PoolLock → {c} is declared: the pool lock must be a leaf");
        }
    }

    private static bool Reachable(string from, string to)
    {
        var fields = LockFields();
        var succ = new Dictionary<string, HashSet<string>>();
        void Add(string a, string b) => (succ.TryGetValue(a, out var s) ? s : succ[a] = new HashSet<string>()).Add(b);
        foreach (var f in fields)
        {
            var name = $"{f.DeclaringType!.Name}.{f.Name}";
            var o = f.GetCustomAttribute<LockOrderAttribute>();
            if (o == null)
            {
                continue;
            }

            foreach (var a in o.After)
            {
                Add(a, name);
            }

            foreach (var b in o.Before)
            {
                Add(name, b);
            }
        }

        var seen = new HashSet<string> { from };
        var stack = new Stack<string>(new[] { from });
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n == to)
            {
                return true;
            }

            foreach (var m in succ.GetValueOrDefault(n) ?? new HashSet<string>())
            {
                if (seen.Add(m))
                {
                    stack.Push(m);
                }
            }
        }

        return false;
    }
}
