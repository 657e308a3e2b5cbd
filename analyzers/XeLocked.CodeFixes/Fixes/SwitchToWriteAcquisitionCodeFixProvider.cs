using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using XeLocked.Analyzers.Rules;
using XeLocked.CodeFixes.Shared;

namespace XeLocked.CodeFixes.Fixes
{
    /// <summary>
    /// XL0003 (a guarded member written while its reader-writer lock is held only for read): turns
    /// the method's one read acquisition of that lock into a write acquisition, and its matching
    /// releases with it (<c>ReadGuard</c>→<c>WriteGuard</c>, <c>LockRead</c>/<c>UnlockRead</c>→
    /// <c>LockWrite</c>/<c>UnlockWrite</c>, <c>EnterReadLock</c>/<c>ExitReadLock</c>→
    /// <c>EnterWriteLock</c>/<c>ExitWriteLock</c>, and the try forms). Offered only when the method
    /// body acquires that lock for read exactly once, on a type that has the write counterpart; not
    /// when the read hold comes from the method's own <c>[Requires]</c> (that is a contract change).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwitchToWriteAcquisitionCodeFixProvider)), Shared]
    public sealed class SwitchToWriteAcquisitionCodeFixProvider : CodeFixProvider
    {
        private static readonly ImmutableDictionary<string, string> Acquisitions = new Dictionary<string, string>
        {
            ["ReadGuard"] = "WriteGuard",
            ["LockRead"] = "LockWrite",
            ["TryLockRead"] = "TryLockWrite",
            ["EnterReadLock"] = "EnterWriteLock",
            ["TryEnterReadLock"] = "TryEnterWriteLock",
        }.ToImmutableDictionary();

        private static readonly ImmutableDictionary<string, string> Releases = new Dictionary<string, string>
        {
            ["UnlockRead"] = "UnlockWrite",
            ["ExitReadLock"] = "ExitWriteLock",
        }.ToImmutableDictionary();

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("XL0003");

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(RequirementText.WeakLockKey, out var lockPath) || lockPath == null)
                {
                    continue;
                }

                var declaration = EnclosingContract.Find(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
                var body = declaration == null ? null : EnclosingContract.Body(declaration);
                var plan = body == null ? null : Plan(body, lockPath, model, context.CancellationToken);
                if (plan == null)
                {
                    continue;
                }

                var acquire = plan.First(p => Acquisitions.ContainsKey(p.Name.Identifier.ValueText));
                var from = acquire.Name.Identifier.ValueText;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("SwitchToWriteTitle", lockPath, Acquisitions[from], from),
                        ct => Task.FromResult(context.Document.WithSyntaxRoot(Rename(root, plan))),
                        "XL0003.SwitchToWrite"),
                    diagnostic);
            }
        }

        /// <summary>The member accesses to rename, or null when the fix would be ambiguous or wrong.</summary>
        private static List<MemberAccessExpressionSyntax>? Plan(SyntaxNode body, string lockPath, SemanticModel model, CancellationToken cancellationToken)
        {
            var calls = body.DescendantNodes(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is LocalFunctionStatementSyntax))
                .OfType<InvocationExpressionSyntax>()
                .Select(i => i.Expression as MemberAccessExpressionSyntax)
                .Where(m => m != null && ReceiverText.Normalize(m.Expression.ToString()) == lockPath)
                .Select(m => m!)
                .ToList();

            var acquisitions = calls.Where(c => Acquisitions.ContainsKey(c.Name.Identifier.ValueText)).ToList();
            if (acquisitions.Count != 1)
            {
                return null;
            }

            var releases = calls.Where(c => Releases.ContainsKey(c.Name.Identifier.ValueText)).ToList();
            var plan = acquisitions.Concat(releases).ToList();
            foreach (var access in plan)
            {
                // The receiver's type must have the write counterpart (a [LockPrimitive] or ReaderWriterLockSlim).
                var type = model.GetTypeInfo(access.Expression, cancellationToken).Type;
                var name = access.Name.Identifier.ValueText;
                var target = Acquisitions.TryGetValue(name, out var a) ? a : Releases[name];
                if (type == null || !type.GetMembers(target).OfType<IMethodSymbol>().Any())
                {
                    return null;
                }
            }

            return plan;
        }

        private static SyntaxNode Rename(SyntaxNode root, List<MemberAccessExpressionSyntax> plan) =>
            root.ReplaceNodes(plan, (original, rewritten) =>
            {
                var name = original.Name.Identifier.ValueText;
                var target = Acquisitions.TryGetValue(name, out var a) ? a : Releases[name];
                return rewritten.WithName(SyntaxFactory.IdentifierName(target).WithTriviaFrom(rewritten.Name));
            });
    }
}
