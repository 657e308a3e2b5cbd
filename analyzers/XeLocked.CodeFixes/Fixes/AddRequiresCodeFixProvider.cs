using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using XeLocked.Analyzers.Rules;
using XeLocked.CodeFixes.Shared;

namespace XeLocked.CodeFixes.Fixes
{
    /// <summary>
    /// XL0002 (guarded member accessed without its lock) and XL0004 (callee's <c>[Requires]</c> not
    /// satisfied): adds the missing <c>[Requires("…")]</c> to the enclosing method, local function or
    /// accessor, so that its callers take the lock. The requirement comes from the analyzer, already
    /// written in the method's terms; the fix is offered only when it could be (every lock rooted at
    /// <c>this</c>, a parameter or a static member) and the code is not in a lambda or constructor,
    /// and only where it cannot make things worse (<see cref="RequiresSafety"/>): not on an
    /// <c>async</c> method, not on a method that takes the lock itself, not on a method callable
    /// from code that cannot name the lock. Offered after "Wrap in lock".
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddRequiresCodeFixProvider)), Shared]
    public sealed class AddRequiresCodeFixProvider : CodeFixProvider
    {
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
                if (!diagnostic.Properties.TryGetValue(RequirementText.RequiredExpressionKey, out var expression) || expression == null)
                {
                    continue;
                }

                var declaration = EnclosingContract.Find(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
                if (declaration == null || !RequiresSafety.IsSafe(declaration, expression, model))
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("AddRequiresTitle", expression),
                        ct => FixAsync(context.Document, new[] { diagnostic }, ct),
                        "XL0002.AddRequires"),
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

            // Group by declaration so that several diagnostics in one method add their requirements once.
            var byDeclaration = new Dictionary<SyntaxNode, List<string>>();
            foreach (var diagnostic in diagnostics)
            {
                if (!diagnostic.Properties.TryGetValue(RequirementText.RequiredExpressionKey, out var expression) || expression == null)
                {
                    continue;
                }

                var declaration = EnclosingContract.Find(root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true));
                if (declaration == null || !RequiresSafety.IsSafe(declaration, expression, model))
                {
                    continue;
                }

                if (!byDeclaration.TryGetValue(declaration, out var list))
                {
                    byDeclaration[declaration] = list = new List<string>();
                }

                list.Add(expression);
            }

            var newRoot = root.ReplaceNodes(byDeclaration.Keys, (original, rewritten) =>
                RequiresAttributeWriter.AddRequires(original, rewritten, byDeclaration[original], model));
            return document.WithSyntaxRoot(newRoot);
        }
    }
}
