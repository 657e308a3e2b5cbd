using System;
using System.Collections.Immutable;
using System.Linq;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Locks whose hold depends on a boolean the body tests later: the result of a try-acquire
    /// (<c>if (m.TryLock())</c>, <c>bool ok = m.TryLock()</c>) or the <c>lockTaken</c> flag of
    /// <c>Monitor.Enter(x, ref taken)</c>. When a branch tests the value, the locks are added on
    /// the side where it equals <see cref="HeldWhen"/> (or, when <see cref="AlreadyHeld"/>, removed
    /// on the other side).
    /// </summary>
    internal sealed class ConditionalHold : IEquatable<ConditionalHold>
    {
        public ConditionalHold(ImmutableArray<HeldLock> locks, bool heldWhen, bool alreadyHeld, bool? knownValue = null)
        {
            Locks = locks;
            HeldWhen = heldWhen;
            AlreadyHeld = alreadyHeld;
            KnownValue = knownValue;
        }

        /// <summary>The value of the boolean on this path, once a branch has tested it.</summary>
        public bool? KnownValue { get; }

        public ConditionalHold WithKnownValue(bool value) => new ConditionalHold(Locks, HeldWhen, AlreadyHeld, value);

        /// <summary>Same locks and polarity: the two describe the same try-acquire.</summary>
        public bool SameSource(ConditionalHold other) => HeldWhen == other.HeldWhen && Locks.SequenceEqual(other.Locks);

        public ImmutableArray<HeldLock> Locks { get; }

        public bool HeldWhen { get; }

        /// <summary>The locks were added when the value was produced (Monitor.Enter): the other side removes them.</summary>
        public bool AlreadyHeld { get; }

        public bool Equals(ConditionalHold? other) =>
            other is not null && HeldWhen == other.HeldWhen && AlreadyHeld == other.AlreadyHeld && KnownValue == other.KnownValue && Locks.SequenceEqual(other.Locks);

        public override bool Equals(object? obj) => Equals(obj as ConditionalHold);

        public override int GetHashCode() => Locks.Length ^ (HeldWhen ? 2 : 0) ^ (AlreadyHeld ? 4 : 0);
    }
}
