using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using XeLocked.CodeFixes.Shared;

namespace XeLocked.CodeFixes.Fixes
{
    /// <summary>
    /// XL0005: a reader-writer lock named without a mode in <c>[Requires]</c>, <c>[Acquires]</c>,
    /// <c>[Releases]</c>, <c>[TryAcquires]</c> or <c>[AssertsHeld]</c>. Offers <c>:read</c> and
    /// <c>:write</c> (both are legitimate; the user picks), appended to the path the diagnostic marks.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddMissingModeCodeFixProvider)), Shared]
    public sealed class AddMissingModeCodeFixProvider : CodeFixProvider
    {
        private const string ReadKey = "XL0005.read";
        private const string WriteKey = "XL0005.write";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("XL0005");

        /// <inheritdoc/>
        public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        /// <inheritdoc/>
        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
            if (root == null)
            {
                return;
            }

            foreach (var diagnostic in context.Diagnostics)
            {
                var span = diagnostic.Location.SourceSpan;
                if (!LockExpressionLiteral.IsInsideStringLiteral(root, span))
                {
                    continue;
                }

                var path = root.SyntaxTree.GetText(context.CancellationToken).ToString(span);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("AddReadModeTitle", path),
                        ct => AppendAsync(context.Document, span, ":read", ct),
                        ReadKey),
                    diagnostic);
                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("AddWriteModeTitle", path),
                        ct => AppendAsync(context.Document, span, ":write", ct),
                        WriteKey),
                    diagnostic);
            }
        }

        private static async Task<Document> AppendAsync(Document document, TextSpan span, string mode, CancellationToken cancellationToken)
        {
            var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
            return document.WithText(text.WithChanges(new TextChange(new TextSpan(span.End, 0), mode)));
        }
    }
}
