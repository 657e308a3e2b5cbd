using System.Resources;

namespace XeLocked.CodeFixes
{
    /// <summary>Hand-written accessor for <c>CodeFixResources.resx</c> (code action titles).</summary>
    internal static class CodeFixResources
    {
        private static ResourceManager? s_manager;

        private static ResourceManager Manager =>
            s_manager ??= new ResourceManager("XeLocked.CodeFixes.CodeFixResources", typeof(CodeFixResources).Assembly);

        /// <summary>The resource <paramref name="name"/> formatted with <paramref name="args"/>.</summary>
        public static string Format(string name, params object[] args) =>
            string.Format(Manager.GetString(name) ?? name, args);
    }
}
