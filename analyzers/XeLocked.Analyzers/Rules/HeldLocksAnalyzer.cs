using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0008: a lock held at a normal exit against the method's contract (acquired and not
    /// released nor declared <c>[Acquires]</c>; a <c>[Requires]</c>d or <c>[Acquires]</c>d lock not
    /// held, or held only in read mode where the contract says <c>:write</c>; a <c>[Releases]</c>d
    /// lock still held), or held on some paths into a join point and not
    /// on others. Bodies of lock primitives and guards implement their contracts and are not checked,
    /// and a <c>SemaphoreSlim</c> held when a method returns a disposable is its releaser's (<see cref="Releasers"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class HeldLocksAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.InconsistentHold);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            if (body.IsLockImplementation)
            {
                return;
            }

            foreach (var e in body.Events)
            {
                if (e is JoinEvent join)
                {
                    var line = AcquireReleaseAnalyzer.Line(join.JoinLocation);
                    foreach (var l in join.Inconsistent)
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.InconsistentHold, l.AcquiredAt ?? join.JoinLocation,
                            $"'{l.Path}' is held on some paths into line {line} and not on others"));
                    }
                }
                else if (e is ExitEvent exit)
                {
                    CheckExit(model, exit, Releasers.ReturnsDisposable(body.Method), report);
                }
            }
        }

        private static void CheckExit(CompilationModel model, ExitEvent exit, bool returnsDisposable, Action<Diagnostic> report)
        {
            foreach (var held in exit.Before.Certain)
            {
                if (exit.Expected.Any(x => x.Path.Equals(held.Path)) || exit.Optional.Contains(held.Path))
                {
                    continue;
                }

                if (UnnameableLock.Is(held.Path))
                {
                    continue; // no [Acquires] can name it: handed on, unnamed (see UnnameableLock)
                }

                if ((returnsDisposable && held.Flavor == LockFlavor.SemaphoreSlim) || Releasers.ReturnsReleaser(model, exit.Operation, held.Flavor))
                {
                    continue; // handed to the releaser the method returns (see Releasers)
                }

                if (held.Kind == HoldKind.Explicit || held.Kind == HoldKind.Scoped)
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.InconsistentHold, held.AcquiredAt ?? exit.MethodLocation,
                        $"'{held.Path}' is still held when '{exit.MethodName}' returns (line {AcquireReleaseAnalyzer.Line(exit.Operation.Syntax.GetLocation())}); release it on every path or declare [Acquires]"));
                }
                else if (held.Kind == HoldKind.Contract)
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.InconsistentHold, exit.MethodLocation,
                        $"'{exit.MethodName}' is declared [Releases(\"{held.Path}\")] but still holds it when it returns"));
                }
            }

            foreach (var expected in exit.Expected)
            {
                if (!exit.Before.Held.TryGetValue(expected.Path, out var held))
                {
                    report(Diagnostic.Create(DiagnosticDescriptors.InconsistentHold, exit.MethodLocation,
                        $"'{exit.MethodName}' must hold '{expected.Path}' when it returns ([Requires] or [Acquires]), but it is not held at line {AcquireReleaseAnalyzer.Line(exit.Operation.Syntax.GetLocation())}"));
                }
                else if (expected.Mode == HeldMode.Write && !held.Uncertain && held.Mode.MayBeReadOnly())
                {
                    // ':write' promises callers a write hold; ':read' is satisfied by either mode.
                    report(Diagnostic.Create(DiagnosticDescriptors.InconsistentHold, exit.MethodLocation,
                        $"'{exit.MethodName}' must hold '{expected.Path}' in write mode when it returns ([Requires] or [Acquires]), but it is held in {held.Mode.Describe()} mode at line {AcquireReleaseAnalyzer.Line(exit.Operation.Syntax.GetLocation())}"));
                }
            }
        }
    }
}
