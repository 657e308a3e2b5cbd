using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers
{
    /// <summary>The XL rules (docs/rules/): ids, severities, localized texts and help links.</summary>
    internal static class DiagnosticDescriptors
    {
        public const string Category = "Locking";

        private const string HelpBase = "https://github.com/xelocked/xelocked/blob/main/docs/rules/";

        public static readonly DiagnosticDescriptor LockOrderViolation = Create("XL0001");
        public static readonly DiagnosticDescriptor GuardedAccessWithoutLock = Create("XL0002");
        public static readonly DiagnosticDescriptor GuardedWriteUnderReadLock = Create("XL0003");
        public static readonly DiagnosticDescriptor RequiresNotSatisfied = Create("XL0004");
        public static readonly DiagnosticDescriptor MissingMode = Create("XL0005");
        public static readonly DiagnosticDescriptor DoubleAcquire = Create("XL0006");
        public static readonly DiagnosticDescriptor ReleaseNotHeld = Create("XL0007");
        public static readonly DiagnosticDescriptor InconsistentHold = Create("XL0008");
        public static readonly DiagnosticDescriptor LockOrderCycle = Create("XL0009");
        public static readonly DiagnosticDescriptor InvalidLockExpression = Create("XL0010");
        public static readonly DiagnosticDescriptor ExcludedLockHeld = Create("XL0012");

        /// <summary>XL0011 is found only when the whole compilation has been seen (RS1037: tagged CompilationEnd).</summary>
        public static readonly DiagnosticDescriptor AcquisitionCycle = Create("XL0011", DiagnosticSeverity.Warning, WellKnownDiagnosticTags.CompilationEnd);
        public static readonly DiagnosticDescriptor LockHeldAcrossAwait = Create("XL0013", DiagnosticSeverity.Error);
        public static readonly DiagnosticDescriptor UnorderedNesting = Create("XL0014", DiagnosticSeverity.Warning);
        public static readonly DiagnosticDescriptor InvalidEdgeExemption = Create("XL0015");

        /// <summary>XL0015 for a <c>[NoLockEdge]</c> that removes no edge: known only at compilation end (RS1037).</summary>
        public static readonly DiagnosticDescriptor UnusedEdgeExemption = new DiagnosticDescriptor(
            "XL0015",
            Resources.Localizable("XL0015Title"),
            Resources.Localizable("XL0015Message"),
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: Resources.Localizable("XL0015Description"),
            helpLinkUri: HelpBase + "XL0015.md",
            customTags: WellKnownDiagnosticTags.CompilationEnd);

        /// <summary>
        /// XL0001 for a reversed nesting through calls: the same rule as <see cref="LockOrderViolation"/>
        /// (same id, title, severity and help page), with its own message naming the call chain. It is
        /// found from the whole-program acquisition summaries, so only at compilation end (RS1037: tagged
        /// CompilationEnd); the body-level instance stays an ordinary, per-body descriptor.
        /// </summary>
        public static readonly DiagnosticDescriptor LockOrderViolationThroughCall = new DiagnosticDescriptor(
            "XL0001",
            Resources.Localizable("XL0001Title"),
            Resources.Localizable("XL0001CallMessage"),
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: Resources.Localizable("XL0001Description"),
            helpLinkUri: HelpBase + "XL0001.md",
            customTags: WellKnownDiagnosticTags.CompilationEnd);
        public static readonly DiagnosticDescriptor LockHeldAcrossYield = Create("XL0016");

        private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, params string[] customTags) => new DiagnosticDescriptor(
            id,
            Resources.Localizable(id + "Title"),
            Resources.Localizable(id + "Message"),
            Category,
            severity,
            isEnabledByDefault: true,
            description: Resources.Localizable(id + "Description"),
            helpLinkUri: HelpBase + id + ".md",
            customTags: customTags);

        private static DiagnosticDescriptor Create(string id) => new DiagnosticDescriptor(
            id,
            Resources.Localizable(id + "Title"),
            Resources.Localizable(id + "Message"),
            Category,
            DiagnosticSeverity.Error,
            isEnabledByDefault: true,
            description: Resources.Localizable(id + "Description"),
            helpLinkUri: HelpBase + id + ".md");
    }
}
