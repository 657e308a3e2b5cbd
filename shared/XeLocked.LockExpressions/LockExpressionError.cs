namespace XeLocked.LockExpressions
{
    /// <summary>Why a lock expression could not be parsed, and where.</summary>
    public sealed class LockExpressionError
    {
        /// <summary>Creates an error.</summary>
        public LockExpressionError(string message, int position, int length)
        {
            Message = message;
            Position = position;
            Length = length;
        }

        /// <summary>A sentence saying what is wrong, e.g. <c>expected a lock path after '&amp;'</c>.</summary>
        public string Message { get; }

        /// <summary>Zero-based offset of the offending text in the expression.</summary>
        public int Position { get; }

        /// <summary>Length of the offending text (at least 0; 0 at the end of the text).</summary>
        public int Length { get; }

        /// <summary>One-based column, for messages.</summary>
        public int Column => Position + 1;

        /// <inheritdoc/>
        public override string ToString() => $"column {Column}: {Message}";
    }
}
