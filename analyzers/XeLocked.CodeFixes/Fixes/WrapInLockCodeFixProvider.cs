using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using XeLocked.CodeFixes.Shared;

namespace XeLocked.CodeFixes.Fixes
{
    /// <summary>
    /// XL0002 (guarded member accessed without its lock) and XL0004 (callee's <c>[Requires]</c> not
    /// satisfied): takes the lock around the smallest statement(s) of the block that contain the
    /// access (see <see cref="WrapTarget"/>), in the form the lock's type calls for (see
    /// <see cref="LockWrapper"/>). Offered before "Add [Requires]": it fixes the access where it is
    /// instead of moving the obligation to every caller. Fix All merges adjacent statements that
    /// need the same lock into one block and never takes a lock inside a block it already wraps.
    /// A lock reached through a local (<c>var vm = …; vm.Data</c>) is taken as <c>vm.Lock</c>, when
    /// the local is declared before the wrapped statements. Not offered when the requirement names
    /// a lock through a temporary, when the range
    /// already takes or releases that lock, contains <c>yield</c>, or contains <c>await</c> (except
    /// for a <c>SemaphoreSlim</c>, whose <c>WaitAsync</c> is awaited).
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInLockCodeFixProvider)), Shared]
    [ExtensionOrder(Before = nameof(AddRequiresCodeFixProvider))]
    public sealed class WrapInLockCodeFixProvider : CodeFixProvider
    {
        /// <summary>The equivalence key of the action (one for XL0002 and XL0004, so Fix All merges both).</summary>
        public const string EquivalenceKey = "XL0002.WrapInLock";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("XL0002", "XL0004");

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

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
                var plan = WrapPlan.For(diagnostic, root, model, context.CancellationToken);
                var wrappers = plan?.Wrappers(model);
                if (wrappers == null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("WrapInLockTitle", string.Join(" and ", wrappers.Select(w => w.Description))),
                        ct => FixAsync(context.Document, new[] { diagnostic }, ct),
                        EquivalenceKey),
                    diagnostic);
            }
        }

        private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await FixAsync(document, diagnostics, context.CancellationToken).ConfigureAwait(false);

        private static async Task<Document> FixAsync(Document document, IEnumerable<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return document;
            }

            var plans = diagnostics.Select(d => WrapPlan.For(d, root, model, cancellationToken)).Where(p => p != null).Select(p => p!).ToList();
            if (plans.Count == 0)
            {
                return document;
            }

            var merged = WrapPlan.Merge(plans, model, cancellationToken);
            return document.WithSyntaxRoot(WrapRewriter.Apply(root, merged, model));
        }
    }
}
