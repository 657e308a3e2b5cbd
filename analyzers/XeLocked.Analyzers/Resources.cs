using System.Resources;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers
{
    /// <summary>
    /// Hand-written accessor for <c>Resources.resx</c> (titles, messages and descriptions of the
    /// rules), so that diagnostics can be localized.
    /// </summary>
    internal static class Resources
    {
        private static ResourceManager? s_manager;

        public static ResourceManager Manager =>
            s_manager ??= new ResourceManager("XeLocked.Analyzers.Resources", typeof(Resources).Assembly);

        public static LocalizableString Localizable(string name) =>
            new LocalizableResourceString(name, Manager, typeof(Resources));
    }
}
