namespace XeLocked.Analyzers.Resolution
{
    /// <summary>Where an <see cref="AccessPath"/> starts.</summary>
    internal enum PathRootKind
    {
        /// <summary>The current instance (<c>this</c>).</summary>
        This,

        /// <summary>A parameter of the method the path belongs to.</summary>
        Parameter,

        /// <summary>A local variable that does not alias another path.</summary>
        Local,

        /// <summary>A static member: the first member of the path is static.</summary>
        Static,

        /// <summary>A compiler-generated flow capture that does not alias another path.</summary>
        Capture,
    }
}
