using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The dataflow fact at a program point: the lock instances held (with mode and origin), the
    /// guard variables that will release some of them when disposed, and pending conditional
    /// holds of try-acquires. Immutable, with value equality (the fixpoint compares states).
    /// </summary>
    internal sealed class LockState : IEquatable<LockState>
    {
        public static readonly LockState Empty = new LockState(
            ImmutableDictionary<AccessPath, HeldLock>.Empty,
            ImmutableDictionary<FlowKey, ImmutableArray<AccessPath>>.Empty,
            ImmutableDictionary<FlowKey, ConditionalHold>.Empty);

        private int _hash;

        public LockState(
            ImmutableDictionary<AccessPath, HeldLock> held,
            ImmutableDictionary<FlowKey, ImmutableArray<AccessPath>> guards,
            ImmutableDictionary<FlowKey, ConditionalHold> conditionals,
            ImmutableArray<AssertedDisjunction> facts = default)
        {
            Held = held;
            Guards = guards;
            Conditionals = conditionals;
            Facts = facts.IsDefault ? ImmutableArray<AssertedDisjunction>.Empty : facts;
        }

        /// <summary>Asserted disjunctions (<c>[AssertsHeld]</c> with alternatives) that hold here.</summary>
        public ImmutableArray<AssertedDisjunction> Facts { get; }

        /// <summary>Held lock instances by access path.</summary>
        public ImmutableDictionary<AccessPath, HeldLock> Held { get; }

        /// <summary>Guard variable → the locks its disposal releases.</summary>
        public ImmutableDictionary<FlowKey, ImmutableArray<AccessPath>> Guards { get; }

        /// <summary>Boolean value → the locks whose hold it decides.</summary>
        public ImmutableDictionary<FlowKey, ConditionalHold> Conditionals { get; }

        /// <summary>The lock at <paramref name="path"/> when it is certainly held.</summary>
        public HeldLock? Find(AccessPath path) =>
            Held.TryGetValue(path, out var h) && !h.Uncertain ? h : null;

        /// <summary>The certainly held locks.</summary>
        public IEnumerable<HeldLock> Certain => Held.Values.Where(h => !h.Uncertain);

        public LockState With(HeldLock held) => new LockState(Held.SetItem(held.Path, held), Guards, Conditionals, Facts);

        public LockState Without(AccessPath path) => new LockState(Held.Remove(path), Guards, Conditionals, Facts);

        public LockState WithGuard(FlowKey key, ImmutableArray<AccessPath> paths) =>
            new LockState(Held, Guards.SetItem(key, paths), Conditionals, Facts);

        public LockState WithoutGuard(FlowKey key) => new LockState(Held, Guards.Remove(key), Conditionals, Facts);

        public LockState WithConditional(FlowKey key, ConditionalHold hold) =>
            new LockState(Held, Guards, Conditionals.SetItem(key, hold), Facts);

        public LockState WithFact(AssertedDisjunction fact) =>
            Facts.Contains(fact) ? this : new LockState(Held, Guards, Conditionals, Facts.Add(fact));

        /// <summary>
        /// Releases the locks of un-lowered <c>lock</c> statements whose body does not contain
        /// <paramref name="next"/> (null: the body is being left for the method exit).
        /// </summary>
        public LockState LeaveScopes(SyntaxNode? next)
        {
            var result = this;
            foreach (var h in Held.Values)
            {
                var current = h;
                var kept = 0;
                while (kept < current.InnerScopes.Length && Contains(current.InnerScopes[kept], next))
                {
                    kept++;
                }

                if (kept < current.InnerScopes.Length)
                {
                    current = current.WithInnerScopes(kept);
                    result = result.With(current);
                }

                if (current.InnerScopes.IsEmpty && current.Scope != null && !Contains(current.Scope, next))
                {
                    result = current.Depth > 1 ? result.With(current.WithDepth(current.Depth - 1)) : result.Without(current.Path);
                }
            }

            return result;
        }

        private static bool Contains(SyntaxNode scope, SyntaxNode? next) =>
            next != null && next.SyntaxTree == scope.SyntaxTree && scope.Span.Contains(next.Span);

        /// <summary>Forgets what is known about <paramref name="key"/> (the local was assigned again).</summary>
        public LockState Forget(FlowKey key) =>
            Guards.ContainsKey(key) || Conditionals.ContainsKey(key)
                ? new LockState(Held, Guards.Remove(key), Conditionals.Remove(key), Facts)
                : this;

        /// <summary>
        /// The state at a join: a lock held the same way on every incoming path stays held; one held
        /// on some paths only (or differently) becomes <see cref="HeldLock.Uncertain"/>. Guards and
        /// conditional holds survive only when every path agrees.
        /// </summary>
        public static LockState Join(IReadOnlyList<LockState> states)
        {
            if (states.Count == 1)
            {
                return states[0];
            }

            var first = states[0];

            // Conditional holds: kept when every path agrees; when each path holds the locks exactly as
            // its boolean says (known value, or the acquisition that produced it), the locks it decides
            // are "held iff the boolean", not inconsistent.
            var conditionals = ImmutableDictionary.CreateBuilder<FlowKey, ConditionalHold>();
            var explained = new HashSet<AccessPath>();
            foreach (var kv in first.Conditionals)
            {
                var all = new List<ConditionalHold>(states.Count);
                ConditionalHold? source = null;
                foreach (var s in states)
                {
                    if (!s.Conditionals.TryGetValue(kv.Key, out var c))
                    {
                        break;
                    }

                    if (!c.Locks.IsEmpty)
                    {
                        if (source != null && !c.SameSource(source))
                        {
                            break;
                        }

                        source ??= c;
                    }
                    else if (!c.KnownValue.HasValue)
                    {
                        break;
                    }

                    all.Add(c);
                }

                if (all.Count != states.Count)
                {
                    continue;
                }

                if (all.TrueForAll(c => c.Equals(kv.Value)))
                {
                    conditionals[kv.Key] = kv.Value;
                }
                else if (source != null && ExplainsPresence(states, all, source))
                {
                    // Each path holds the locks exactly as its value (known, or the acquisition that
                    // produced it) says: after the join they are "held iff the boolean".
                    conditionals[kv.Key] = new ConditionalHold(source.Locks, source.HeldWhen, alreadyHeld: false);
                    foreach (var l in source.Locks)
                    {
                        explained.Add(l.Path);
                    }
                }
            }

            var held = ImmutableDictionary.CreateBuilder<AccessPath, HeldLock>();
            foreach (var s in states)
            {
                foreach (var kv in s.Held)
                {
                    if (held.ContainsKey(kv.Key) || explained.Contains(kv.Key))
                    {
                        continue;
                    }

                    HeldLock? agreed = kv.Value;
                    foreach (var other in states)
                    {
                        HeldMode? joined = null;
                        if (!other.Held.TryGetValue(kv.Key, out var o) || o.Uncertain ||
                            (o.Mode != agreed!.Mode && (joined = JoinModes(agreed, o)) == null))
                        {
                            // An assertion is a fact about one path, not a hold: where paths disagree it is just forgotten.
                            agreed = AssertedOnly(states, kv.Key) ? null : agreed.AsUncertain();
                            break;
                        }

                        if (joined is HeldMode mode)
                        {
                            agreed = agreed.WithMode(mode, upgraded: false);
                        }

                        if (o.Depth > agreed.Depth)
                        {
                            agreed = agreed.WithDepth(o.Depth);
                        }
                    }

                    if (agreed != null)
                    {
                        held[kv.Key] = agreed;
                    }
                }
            }

            var guards = first.Guards.Where(kv => states.All(s => s.Guards.TryGetValue(kv.Key, out var g) && g.SequenceEqual(kv.Value)));
            var facts = first.Facts.Where(f => states.All(s => s.Facts.Contains(f))).ToImmutableArray();
            return new LockState(held.ToImmutable(), guards.ToImmutableDictionary(), conditionals.ToImmutable(), facts);
        }

        /// <summary>
        /// The join of two modes of one reader-writer lock held on every incoming path: read and write
        /// (and read-or-write) join to read-or-write, which satisfies read requirements, not write ones,
        /// and may be released in either mode. Upgrades and upgradeable reads do not join (null): the
        /// release that undoes them differs.
        /// </summary>
        private static HeldMode? JoinModes(HeldLock a, HeldLock b)
        {
            static bool Plain(HeldLock h) => !h.Upgraded && !h.AlsoRead &&
                (h.Mode == HeldMode.Read || h.Mode == HeldMode.Write || h.Mode == HeldMode.ReadOrWrite);
            return Plain(a) && Plain(b) ? HeldMode.ReadOrWrite : null;
        }

        private static bool AssertedOnly(IReadOnlyList<LockState> states, AccessPath path)
        {
            foreach (var s in states)
            {
                if (s.Held.TryGetValue(path, out var h) && h.Kind != HoldKind.Asserted)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// True when on every path the locks of <paramref name="source"/> are held exactly when that
        /// path's boolean says so: its known value (a constant boolean, <c>bool taken = false</c>,
        /// decides no lock, so it must mean "not acquired"), or for an untested value whether the
        /// acquisition already took them (<c>Monitor.Enter(o, ref taken)</c>) or not
        /// (<c>Monitor.TryEnter(o, t, ref taken)</c>).
        /// </summary>
        private static bool ExplainsPresence(IReadOnlyList<LockState> states, List<ConditionalHold> holds, ConditionalHold source)
        {
            for (var i = 0; i < states.Count; i++)
            {
                var expectHeld = holds[i].KnownValue is bool known ? known == source.HeldWhen : holds[i].AlreadyHeld;
                foreach (var l in source.Locks)
                {
                    if ((states[i].Find(l.Path) != null) != expectHeld)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        public bool Equals(LockState? other)
        {
            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (other is null || other.Held.Count != Held.Count || other.Guards.Count != Guards.Count || other.Conditionals.Count != Conditionals.Count ||
                !other.Facts.SequenceEqual(Facts))
            {
                return false;
            }

            foreach (var kv in Held)
            {
                if (!other.Held.TryGetValue(kv.Key, out var h) || !h.Equals(kv.Value))
                {
                    return false;
                }
            }

            foreach (var kv in Guards)
            {
                if (!other.Guards.TryGetValue(kv.Key, out var g) || !g.SequenceEqual(kv.Value))
                {
                    return false;
                }
            }

            foreach (var kv in Conditionals)
            {
                if (!other.Conditionals.TryGetValue(kv.Key, out var c) || !c.Equals(kv.Value))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as LockState);

        public override int GetHashCode()
        {
            if (_hash == 0)
            {
                var h = Held.Count * 7919 + Guards.Count * 31 + Conditionals.Count;
                foreach (var kv in Held)
                {
                    h ^= kv.Value.GetHashCode();
                }

                _hash = h == 0 ? 1 : h;
            }

            return _hash;
        }
    }
}
