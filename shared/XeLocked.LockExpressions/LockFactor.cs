namespace XeLocked.LockExpressions
{
    /// <summary>One lock in an expression: a path and an optional mode (<c>vm.Lock:read</c>).</summary>
    public sealed class LockFactor
    {
        /// <summary>Creates a factor.</summary>
        public LockFactor(LockPath path, LockModeSpec mode, int start, int length)
        {
            Path = path;
            Mode = mode;
            Start = start;
            Length = length;
        }

        /// <summary>The lock's access path.</summary>
        public LockPath Path { get; }

        /// <summary>The mode suffix, or <see cref="LockModeSpec.None"/>.</summary>
        public LockModeSpec Mode { get; }

        /// <summary>Offset of the factor (path and mode) in the expression text.</summary>
        public int Start { get; }

        /// <summary>Length of the factor (path and mode) in the expression text.</summary>
        public int Length { get; }

        /// <summary>The factor as it would be written: <c>vm.Lock:read</c>.</summary>
        public override string ToString() => Mode switch
        {
            LockModeSpec.Read => Path + ":read",
            LockModeSpec.Write => Path + ":write",
            _ => Path.ToString(),
        };
    }
}
