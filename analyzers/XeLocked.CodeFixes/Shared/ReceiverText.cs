using System.Linq;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// Compares a call's receiver as written (<c>this.Lock</c>, <c>vm . Lock</c>) with a lock path the
    /// analyzer rendered in the method's terms (<c>Lock</c>, <c>vm.Lock</c>).
    /// </summary>
    internal static class ReceiverText
    {
        /// <summary>The receiver without white space and without a leading <c>this.</c>.</summary>
        public static string Normalize(string receiver)
        {
            var text = new string(receiver.Where(c => !char.IsWhiteSpace(c)).ToArray());
            return text.StartsWith("this.", System.StringComparison.Ordinal) ? text.Substring(5) : text;
        }
    }
}
