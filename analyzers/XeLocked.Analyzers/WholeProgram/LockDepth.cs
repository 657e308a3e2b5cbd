namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// How many <c>[InnerLocks]</c> links separate the object whose lock is acquired from the object
    /// whose lock is held (or, in a summary, from the object the method runs on): the instance-level
    /// "depth delta" of a nesting. A cycle of lock classes whose every nesting has a known delta
    /// ≥ 0, one of them ≥ 1, would need an object that reaches itself through <c>[InnerLocks]</c>
    /// members, which the attribute rules out: it cannot close between instances.
    /// </summary>
    internal enum LockDepth : byte
    {
        /// <summary>The same object (<c>this._a</c> held, <c>this._b</c> acquired).</summary>
        Zero,

        /// <summary>An object reached through one or more <c>[InnerLocks]</c> members of the holder.</summary>
        Positive,

        /// <summary>Zero on some paths, positive on others.</summary>
        NonNegative,

        /// <summary>Any other object (a static, a parameter, a back-pointer, an element of a collection).</summary>
        Unknown,
    }

    /// <summary>Operations on <see cref="LockDepth"/>.</summary>
    internal static class LockDepths
    {
        /// <summary>The delta of a path of two steps.</summary>
        public static LockDepth Add(LockDepth a, LockDepth b)
        {
            if (a == LockDepth.Unknown || b == LockDepth.Unknown)
            {
                return LockDepth.Unknown;
            }

            if (a == LockDepth.Positive || b == LockDepth.Positive)
            {
                return LockDepth.Positive;
            }

            return a == LockDepth.Zero ? b : a;
        }

        /// <summary>The delta of two ways of making one nesting.</summary>
        public static LockDepth Join(LockDepth a, LockDepth b) =>
            a == b ? a : a == LockDepth.Unknown || b == LockDepth.Unknown ? LockDepth.Unknown : LockDepth.NonNegative;
    }
}
