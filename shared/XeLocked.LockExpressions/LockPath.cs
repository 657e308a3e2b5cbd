using System.Collections.Generic;

namespace XeLocked.LockExpressions
{
    /// <summary>A dotted path such as <c>vm.Svm.RangeLock</c>, with its position in the source text.</summary>
    public sealed class LockPath
    {
        /// <summary>Creates a path.</summary>
        public LockPath(IReadOnlyList<string> segments, IReadOnlyList<int> segmentStarts, int start, int length)
        {
            Segments = segments;
            SegmentStarts = segmentStarts;
            Start = start;
            Length = length;
        }

        /// <summary>The identifiers, outermost first (<c>vm</c>, <c>Svm</c>, <c>RangeLock</c>).</summary>
        public IReadOnlyList<string> Segments { get; }

        /// <summary>The offset of each segment in the expression text.</summary>
        public IReadOnlyList<int> SegmentStarts { get; }

        /// <summary>Offset of the path in the expression text.</summary>
        public int Start { get; }

        /// <summary>Length of the path in the expression text.</summary>
        public int Length { get; }

        /// <summary>The path as written, without white space: <c>a.b.c</c>.</summary>
        public override string ToString() => string.Join(".", Segments);
    }
}
