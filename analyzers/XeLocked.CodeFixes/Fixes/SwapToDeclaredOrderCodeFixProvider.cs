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
    /// (<c>a.Lock(); b.Lock();</c>, <c>using var ga = …; using var gb = …;</c>) and nested
    /// <c>lock</c>/<c>using</c> statements (<c>lock (b) { lock (a) { … } }</c> →
    /// <c>lock (a) { lock (b) { … } }</c>) when the outer one holds nothing but the inner one. Not
    /// offered when anything stands between the two acquisitions (a statement before or after the
    /// inner one would change which lock it runs under), or when the statement before is not the
    /// acquisition of the held lock the diagnostic names.
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
            // lock (b) { lock (a) { ... } }, using (b.Guard()) using (a.Guard()) { ... }, and mixes:
            // the outer statement holds nothing but the inner one, so exchanging the two headers
            // changes only the order the locks are taken in.
            var outer = inner.Parent is BlockSyntax onlyChild && onlyChild.Statements.Count == 1 ? onlyChild.Parent : inner.Parent;
            if (IsScopedAcquisition(inner) && outer is StatementSyntax outerStatement && IsScopedAcquisition(outerStatement) &&
                AcquiresOn(outerStatement, held))
            {
                var innerBody = BodyOf(inner);
                var outerBody = BodyOf(outerStatement);
                var newInner = WithBody(outerStatement, innerBody).WithTriviaFrom(inner);
                var newOuterBody = outerBody is BlockSyntax outerBlock ? outerBlock.WithStatements(SyntaxFactory.SingletonList(newInner)) : (StatementSyntax)newInner;
                var newOuter = WithBody(inner, newOuterBody).WithTriviaFrom(outerStatement);
                return root.ReplaceNode(outerStatement, newOuter);
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

        private static bool IsScopedAcquisition(StatementSyntax statement) =>
            statement is LockStatementSyntax || (statement is UsingStatementSyntax u && u.AwaitKeyword == default);

        private static StatementSyntax BodyOf(StatementSyntax statement) => statement switch
        {
            LockStatementSyntax l => l.Statement,
            UsingStatementSyntax u => u.Statement,
            _ => statement,
        };

        private static StatementSyntax WithBody(StatementSyntax statement, StatementSyntax body) => statement switch
        {
            LockStatementSyntax l => l.WithStatement(body),
            UsingStatementSyntax u => u.WithStatement(body),
            _ => statement,
        };

        /// <summary>True when <paramref name="statement"/> is a lone acquisition whose receiver is <paramref name="held"/>.</summary>
        private static bool AcquiresOn(StatementSyntax statement, string held)
        {
            SyntaxNode? acquisition = statement switch
            {
                ExpressionStatementSyntax e => e.Expression,
                LocalDeclarationStatementSyntax d when d.UsingKeyword != default && d.Declaration.Variables.Count == 1 =>
                    d.Declaration.Variables[0].Initializer?.Value,
                LockStatementSyntax l => l.Expression,
                UsingStatementSyntax u => (SyntaxNode?)u.Expression ?? (u.Declaration?.Variables.Count == 1 ? u.Declaration.Variables[0].Initializer?.Value : null),
                _ => null,
            };
            if (statement is LockStatementSyntax)
            {
                return acquisition != null && ReceiverText.Normalize(acquisition.ToString()) == held;
            }

            return acquisition is InvocationExpressionSyntax invocation &&
                invocation.Expression is MemberAccessExpressionSyntax access &&
                ReceiverText.Normalize(access.Expression.ToString()) == held;
        }
    }
}
