using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.WholeProgram;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0006 (a lock acquired while the same instance is held, or a second instance of one lock
    /// class acquired without a nesting annotation) and XL0007 (a lock released that is not held,
    /// or released in the other mode; not for a <c>SemaphoreSlim</c> released by a <c>Dispose</c>: see
    /// <see cref="Releasers"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AcquireReleaseAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.DoubleAcquire,
            DiagnosticDescriptors.ReleaseNotHeld);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            HashSet<AccessPath>? acquired = null;
            foreach (var e in body.Events)
            {
                if (e is AcquireEvent acquire)
                {
                    CheckAcquire(model, body, acquire, report);
                }
                else if (e is ReleaseEvent release && !body.IsLockImplementation &&
                         !(Releasers.IsDisposeMethod(body.Method) && Releasers.IsSemaphore(model, release.Path)) &&
                         !Releasers.IsReleaserDispose(model, body.Method))
                {
                    acquired ??= AcquiredPaths(body);
                    if (!(UnnameableLock.Is(release.Path) && !acquired.Contains(release.Path)))
                    {
                        CheckRelease(release, report);
                    }
                }
            }
        }

        private static HashSet<AccessPath> AcquiredPaths(BodyFlow body)
        {
            var paths = new HashSet<AccessPath>();
            foreach (var e in body.Events)
            {
                if (e is AcquireEvent a)
                {
                    paths.Add(a.Acquired.Path);
                }
            }

            return paths;
        }

        private static void CheckAcquire(CompilationModel model, BodyFlow body, AcquireEvent acquire, Action<Diagnostic> report)
        {
            if (acquire.IsUpgrade || acquire.ExcludedByCallee)
            {
                return;
            }

            var location = acquire.Operation.Syntax.GetLocation();
            var path = acquire.Acquired.Path;
            if (acquire.Before.Held.TryGetValue(path, out var existing))
            {
                if (!existing.Uncertain)
                {
                    var where = existing.AcquiredAt != null
                        ? $"acquired at line {Line(existing.AcquiredAt)}"
                        : "held on entry by the method's contract";
                    report(Diagnostic.Create(DiagnosticDescriptors.DoubleAcquire, location,
                        $"'{path}' is acquired while already held ({where})"));
                }

                return;
            }

            if (acquire.NestingAnnotated || !(acquire.Acquired.LockClass is ISymbol lockClass))
            {
                return;
            }

            foreach (var held in acquire.Before.Certain)
            {
                if (SymbolEqualityComparer.Default.Equals(held.LockClass, lockClass))
                {
                    if (!EdgeExemptions.OrdersInstances(body.Method, lockClass, model, default))
                    {
                        var name = LockOrderGraph.ClassName(lockClass);
                        report(Diagnostic.Create(DiagnosticDescriptors.DoubleAcquire, location,
                            $"'{path}' is acquired while '{held.Path}', another instance of lock class '{name}', is held; nest them with a nesting annotation (a '*Nested' acquisition such as LockNested), or, when the method takes the instances in a fixed order, declare it with [NoLockEdge(\"{name}\", \"{name}\", Justification = …)]"));
                    }

                    return;
                }
            }
        }

        private static void CheckRelease(ReleaseEvent release, Action<Diagnostic> report)
        {
            var location = release.Operation.Syntax.GetLocation();
            if (!release.Before.Held.TryGetValue(release.Path, out var held))
            {
                report(Diagnostic.Create(DiagnosticDescriptors.ReleaseNotHeld, location, $"'{release.Path}' is released but is not held"));
                return;
            }

            // A mode-agnostic release ([Releases("rw:read | rw:write")]) matches a hold in any mode, and a
            // hold in a mode-agnostic mode (the entry of such a method) may be released in either mode.
            if (held.Uncertain || release.Mode.IsModeAgnostic() || held.Mode.IsModeAgnostic() || release.Mode == HeldMode.Exclusive || held.Mode == HeldMode.Exclusive)
            {
                return;
            }

            if (release.Mode != held.Mode && !(held.Upgraded && release.Mode == HeldMode.Write) && !(held.AlsoRead && release.Mode == HeldMode.Read))
            {
                report(Diagnostic.Create(DiagnosticDescriptors.ReleaseNotHeld, location,
                    $"'{release.Path}' is released in {release.Mode.Describe()} mode but is held in {held.Mode.Describe()} mode"));
            }
        }

        internal static int Line(Location location) => location.GetLineSpan().StartLinePosition.Line + 1;
    }
}
