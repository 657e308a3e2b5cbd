using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Sim.GraphFixture;

// A small annotated hierarchy, read by reflection in GraphTests: Outer.Lock -> Middle.Lock -> Inner.Lock,
// plus a fully qualified name, a lock with no order, and a non-lock field that must be ignored.

internal sealed class Outer
{
    [LockOrder(Before = new[] { "Middle.Lock" })]
    public readonly TrackedRwSemaphore Lock = new("Outer.Lock");
}

internal sealed class Middle
{
    [LockOrder(After = new[] { "Outer.Lock" }, Before = new[] { "XeLocked.Runtime.Tests.Sim.GraphFixture.Inner.Lock" })]
    public readonly TrackedMutex Lock = new("Middle.Lock");

    public readonly int NotALock = 3;
}

internal sealed class Inner
{
    public readonly TrackedSpinLock Lock = new("Inner.Lock");
}

internal sealed class Lonely
{
    public TrackedMutex Mutex { get; } = new("Lonely.Mutex");
}
