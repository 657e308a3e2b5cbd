using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace XeLocked.Runtime.Tests.Xe;

using Lockdep = XeLocked.Locking.Lockdep;

/// <summary>Gates and bounded condition waits for forcing interleavings (never sleeps).</summary>
internal static class TestSync
{
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    /// <summary>Waits until <paramref name="condition"/> holds (bounded); fails the test otherwise.</summary>
    public static void WaitUntil(Func<bool> condition, string what)
    {
        Assert.IsTrue(SpinWait.SpinUntil(condition, Bound), $"timed out waiting for: {what}");
    }

    /// <summary>Waits on an event (bounded); fails the test otherwise.</summary>
    public static void Await(ManualResetEventSlim e, string what)
    {
        Assert.IsTrue(e.Wait(Bound), $"timed out waiting for: {what}");
    }

    /// <summary>Waits on a countdown (bounded); fails the test otherwise.</summary>
    public static void Await(CountdownEvent e, string what)
    {
        Assert.IsTrue(e.Wait(Bound), $"timed out waiting for: {what}");
    }

    /// <summary>A gate a model thread blocks on inside a hook (bounded, so a broken test cannot hang).</summary>
    public static void Block(ManualResetEventSlim gate)
    {
        if (!gate.Wait(Bound))
        {
            throw new TimeoutException("gate never opened");
        }
    }
}
