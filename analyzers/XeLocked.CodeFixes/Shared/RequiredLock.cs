using System.Collections.Generic;
using System.Linq;
using XeLocked.LockExpressions;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// One lock a fix must take: its path as written in the method (<c>Lock</c>, <c>vm.Lock</c>,
    /// <c>this</c>, <c>Device.UsmLock</c>) and the mode the requirement names.
    /// </summary>
    internal sealed class RequiredLock
    {
        public RequiredLock(string path, LockModeSpec mode)
        {
            Path = path;
            Mode = mode;
        }

        /// <summary>The path in the method's terms.</summary>
        public string Path { get; }

        /// <summary>The mode the requirement asks for (<see cref="LockModeSpec.None"/> for an exclusive lock).</summary>
        public LockModeSpec Mode { get; }

        /// <summary>Identity of the lock and mode, to merge and compare wraps.</summary>
        public string Key => Mode switch
        {
            LockModeSpec.Read => Path + ":read",
            LockModeSpec.Write => Path + ":write",
            _ => Path,
        };

        /// <summary>
        /// The locks to take to satisfy <paramref name="expression"/>: the alternative with the fewest
        /// factors (the first of those), in the order written. Null when the text does not parse.
        /// </summary>
        public static IReadOnlyList<RequiredLock>? Choose(string expression)
        {
            if (!LockExpressionParser.TryParse(expression, out var parsed, out _) || parsed == null || parsed.Alternatives.Count == 0)
            {
                return null;
            }

            var best = parsed.Alternatives.OrderBy(a => a.Count).First();
            var locks = new List<RequiredLock>();
            foreach (var factor in best)
            {
                var path = factor.Path.ToString();
                var existing = locks.FindIndex(l => l.Path == path);
                if (existing < 0)
                {
                    locks.Add(new RequiredLock(path, factor.Mode));
                }
                else if (factor.Mode == LockModeSpec.Write)
                {
                    locks[existing] = new RequiredLock(path, LockModeSpec.Write);
                }
            }

            return locks;
        }
    }
}
