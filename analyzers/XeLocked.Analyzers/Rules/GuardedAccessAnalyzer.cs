using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Ownership;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0002 (a <c>[GuardedBy]</c> member read or written without its lock expression held) and
    /// XL0003 (written while its reader-writer lock is held only in read mode). Constructors and
    /// finalizers may touch the guarded members of the object they build or tear down; any body may
    /// touch those of an object it owns (<see cref="OwnedObjects"/>): one it created and has not published,
    /// and <c>this</c> in a method called only on such objects.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class GuardedAccessAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.GuardedAccessWithoutLock,
            DiagnosticDescriptors.GuardedWriteUnderReadLock);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            foreach (var e in body.Events)
            {
                if (!(e is GuardedAccessEvent access) || IsOwnedByBody(body, access))
                {
                    continue;
                }

                AccessPath? Substitute(AccessPath p) => p.Kind switch
                {
                    PathRootKind.This => access.Instance == null ? null : p.Rebase(access.Instance),
                    PathRootKind.Static => p,
                    _ => null,
                };

                var location = access.Operation.Syntax.GetLocation();
                bool? owned = null;
                bool Owned() => owned ??= OwnedObjects.IsAccessOwned(model, body, access);
                if (access.IsWrite && access.Guard.Write != null)
                {
                    var result = RequirementChecker.Check(access.Guard.Write, Substitute, access.Before, writeWhenNoMode: true);
                    if (!result.Satisfied && Owned())
                    {
                        continue;
                    }

                    if (!result.Satisfied)
                    {
                        report(result.ModeOnly
                            ? Diagnostic.Create(DiagnosticDescriptors.GuardedWriteUnderReadLock, location,
                                RequirementText.Properties(RequirementText.WeakLockKey, result.WeakLock == null ? null : RequirementText.PathText(result.WeakLock, body.Method)),
                                access.Member.Name, result.WeakLock?.ToString())
                            : Diagnostic.Create(DiagnosticDescriptors.GuardedAccessWithoutLock, location,
                                RequirementText.RequiredProperties(access.Guard.Write, Substitute, writeWhenNoMode: true, body.Method),
                                access.Returned ? "Returning a writable reference to" : access.IsMutation ? "Modifying" : "Writing", access.Member.Name, access.Guard.Write.Text, Explain(access, result)));
                        continue;
                    }
                }

                if (access.IsRead && access.Guard.Read != null)
                {
                    var result = RequirementChecker.Check(access.Guard.Read, Substitute, access.Before, writeWhenNoMode: false);
                    if (!result.Satisfied && !Owned())
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.GuardedAccessWithoutLock, location,
                            RequirementText.RequiredProperties(access.Guard.Read, Substitute, writeWhenNoMode: false, body.Method),
                            access.Returned ? "Returning a read-only reference to" : "Reading", access.Member.Name, access.Guard.Read.Text, Explain(access, result)));
                    }
                }
            }
        }

        /// <summary>For a returned reference, says that the locks that count are those held when the method returns.</summary>
        private static string Explain(GuardedAccessEvent access, RequirementResult result) =>
            access.Returned ? result.Explanation + " when the method returns (its callers use the reference)"
            : access.UnmarkedLocklessRead ? result.Explanation + $"; '{access.Member.Name}' allows lockless reads only as marked reads: declare it volatile or read it with Volatile.Read"
            : result.Explanation;

        private static bool IsOwnedByBody(BodyFlow body, GuardedAccessEvent access)
        {
            if (!body.OwnsThis)
            {
                return false;
            }

            return access.Member.IsStatic
                ? body.Method.IsStatic && SymbolEqualityComparer.Default.Equals(access.Member.ContainingType, body.Method.ContainingType)
                : !body.Method.IsStatic && access.Instance != null && access.Instance.Kind == PathRootKind.This && access.Instance.Members.IsEmpty;
        }
    }
}
