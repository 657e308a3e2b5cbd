using System;
using System.Collections.Generic;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// Whether two contract-less wrapper methods are named as an enter/exit pair: the same name once
    /// the first acquiring verb of one (<c>Enter</c>, <c>Acquire</c>, <c>Lock</c>, <c>Take</c>,
    /// <c>Begin</c>, <c>Wait</c>) and the first releasing verb of the other (<c>Exit</c>,
    /// <c>Release</c>, <c>Unlock</c>, <c>Leave</c>, <c>End</c>) are taken out, a leading <c>Try</c>
    /// and a trailing <c>Async</c> ignored, case-insensitively: <c>EnterTransaction</c>/<c>ExitTransaction</c>,
    /// <c>TryEnterExclusive</c>/<c>ExitExclusive</c>, <c>MaybeAcquireConfirmLockAsync</c>/<c>MaybeReleaseConfirmLock</c>.
    /// </summary>
    internal static class WrapperNames
    {
        private static readonly string[] s_acquiring = { "Enter", "Acquire", "Lock", "Take", "Begin", "Wait" };
        private static readonly string[] s_releasing = { "Exit", "Release", "Unlock", "Leave", "End" };

        /// <summary>True when <paramref name="acquirer"/> and <paramref name="releaser"/> name a pair (see the class summary).</summary>
        public static bool ArePair(string acquirer, string releaser)
        {
            var a = Stem(acquirer, s_acquiring);
            var r = Stem(releaser, s_releasing);
            return a != null && r != null && string.Equals(a, r, StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>The name without <c>Try</c>, <c>Async</c> and its first verb of <paramref name="verbs"/> (a whole PascalCase word); null without one.</summary>
        private static string? Stem(string name, string[] verbs)
        {
            if (name.StartsWith("Try", StringComparison.Ordinal) && name.Length > 3 && char.IsUpper(name[3]))
            {
                name = name.Substring(3);
            }

            if (name.EndsWith("Async", StringComparison.Ordinal) && name.Length > 5)
            {
                name = name.Substring(0, name.Length - 5);
            }

            foreach (var (start, length) in Words(name))
            {
                foreach (var verb in verbs)
                {
                    if (length == verb.Length && string.CompareOrdinal(name, start, verb, 0, length) == 0)
                    {
                        return name.Substring(0, start) + "_" + name.Substring(start + length);
                    }
                }
            }

            return null;
        }

        /// <summary>The PascalCase words of <paramref name="name"/> (an underscore also separates).</summary>
        private static IEnumerable<(int Start, int Length)> Words(string name)
        {
            var start = 0;
            for (var i = 1; i <= name.Length; i++)
            {
                if (i == name.Length || char.IsUpper(name[i]) || name[i] == '_' || name[i - 1] == '_')
                {
                    if (i > start && name[start] != '_')
                    {
                        yield return (start, i - start);
                    }

                    start = i;
                }
            }
        }
    }
}
