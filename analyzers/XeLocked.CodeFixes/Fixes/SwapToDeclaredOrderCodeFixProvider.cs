using System.Collections.Immutable;
using System.Composition;
using System.Linq;
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
    /// XL0001 (a lock acquired while a lock that must come after it is held): when the offending
    /// acquisition directly follows the acquisition of that held lock, swaps the two, so the locks
    /// are taken in the declared order. Handles adjacent statements of one block
    /// (<c>a.Lock(); b.Lock();</c>, <c>using var ga = …; using var gb = …;</c>) and directly nested
    /// <c>using</c> statements. Not offered when anything stands between the two acquisitions, or
    /// when the statement before is not the acquisition of the held lock the diagnostic names.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SwapToDeclaredOrderCodeFixProvider)), Shared]
    public sealed class SwapToDeclaredOrderCodeFixProvider : CodeFixProvider
    {
        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("XL0001");

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
                if (!diagnostic.Properties.TryGetValue(RequirementText.HeldLockKey, out var held) || held == null)
                {
                    continue;
                }

                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var inner = node.AncestorsAndSelf().OfType<StatementSyntax>().FirstOrDefault();
                var newRoot = inner == null ? null : TrySwap(root, inner, held);
                if (newRoot == null)
                {
                    continue;
                }

                context.RegisterCodeFix(
                    CodeAction.Create(
                        CodeFixResources.Format("SwapToDeclaredOrderTitle", held),
                        _ => Task.FromResult(context.Document.WithSyntaxRoot(newRoot)),
                        "XL0001.Swap"),
                    diagnostic);
            }
        }

        private static SyntaxNode? TrySwap(SyntaxNode root, StatementSyntax inner, string held)
        {
            // using (a.Guard()) using (b.Guard()) { ... }
            if (inner is UsingStatementSyntax innerUsing && innerUsing.Parent is UsingStatementSyntax outerUsing &&
                AcquiresOn(outerUsing, held))
            {
                var swappedInner = innerUsing.WithExpression(outerUsing.Expression).WithDeclaration(outerUsing.Declaration);
                var swappedOuter = outerUsing.WithExpression(innerUsing.Expression).WithDeclaration(innerUsing.Declaration)
                    .WithStatement(swappedInner);
                return root.ReplaceNode(outerUsing, swappedOuter);
            }

            // a.Lock(); b.Lock();   or   using var ga = a.Guard(); using var gb = b.Guard();
            if (inner.Parent is BlockSyntax block)
            {
                var index = block.Statements.IndexOf(inner);
                if (index > 0 && AcquiresOn(block.Statements[index - 1], held))
                {
                    var previous = block.Statements[index - 1];
                    var statements = block.Statements.ToArray();
                    statements[index - 1] = inner.WithTriviaFrom(previous);
                    statements[index] = previous.WithTriviaFrom(inner);
                    return root.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="statement"/> is a lone acquisition whose receiver is <paramref name="held"/>.</summary>
        private static bool AcquiresOn(StatementSyntax statement, string held)
        {
            SyntaxNode? acquisition = statement switch
            {
                ExpressionStatementSyntax e => e.Expression,
                LocalDeclarationStatementSyntax d when d.UsingKeyword != default && d.Declaration.Variables.Count == 1 =>
                    d.Declaration.Variables[0].Initializer?.Value,
                UsingStatementSyntax u => (SyntaxNode?)u.Expression ?? (u.Declaration?.Variables.Count == 1 ? u.Declaration.Variables[0].Initializer?.Value : null),
                _ => null,
            };
            return acquisition is InvocationExpressionSyntax invocation &&
                invocation.Expression is MemberAccessExpressionSyntax access &&
                ReceiverText.Normalize(access.Expression.ToString()) == held;
        }
    }
}
