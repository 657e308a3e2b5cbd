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
using Microsoft.CodeAnalysis.Formatting;
using XeLocked.CodeFixes.Shared;

namespace XeLocked.CodeFixes.Fixes
{
    /// <summary>
    /// XL0008 (a lock still held at a return, or held on some paths into a join) reported at an
    /// explicit acquisition whose release comes later in the same block (see
    /// <see cref="AcquisitionPair"/>): an early <c>return</c>, <c>break</c> or exception between
    /// them leaks the lock. Offers to scope the hold so every path releases it:
    /// <list type="bullet">
    /// <item>"Use a scoped guard": <c>m.Lock(); … m.Unlock();</c> → <c>using (m.Guard()) { … }</c>
    /// when the primitive has a <c>[ScopedLock]</c> guard for that mode, and
    /// <c>Monitor.Enter(x); … Monitor.Exit(x);</c> or <c>_l.Enter(); … _l.Exit();</c> on a
    /// <c>System.Threading.Lock</c> → <c>lock (x) { … }</c> (not around <c>await</c>);</item>
    /// <item>"Release in finally": <c>m.Lock(); try { … } finally { m.Unlock(); }</c>, for every pair.</item>
    /// </list>
    /// A guard stored in a plain local (<c>var g = m.Guard();</c>) gets <c>using</c>. Not offered
    /// when a statement between the two already releases the lock on some path.
    /// </summary>
    [ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ScopeAcquisitionCodeFixProvider)), Shared]
    public sealed class ScopeAcquisitionCodeFixProvider : CodeFixProvider
    {
        /// <summary>Equivalence key of "Use a scoped guard" (and of <c>using</c> on a guard local).</summary>
        public const string UsingKey = "XL0008.Using";

        /// <summary>Equivalence key of "Release in finally".</summary>
        public const string FinallyKey = "XL0008.Finally";

        /// <inheritdoc/>
        public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("XL0008");

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
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                if (GuardLocal(node, model) != null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(CodeFixResources.Format("DisposeGuardTitle"), ct => FixAsync(context.Document, new[] { diagnostic }, UsingKey, ct), UsingKey),
                        diagnostic);
                    continue;
                }

                var pair = AcquisitionPair.Find(node, model);
                if (pair == null)
                {
                    continue;
                }

                var scoped = ScopedForm(pair, model);
                if (scoped != null)
                {
                    context.RegisterCodeFix(
                        CodeAction.Create(CodeFixResources.Format("UseScopedGuardTitle", scoped), ct => FixAsync(context.Document, new[] { diagnostic }, UsingKey, ct), UsingKey),
                        diagnostic);
                }

                context.RegisterCodeFix(
                    CodeAction.Create(CodeFixResources.Format("ReleaseInFinallyTitle", pair.Release.Expression.ToString()), ct => FixAsync(context.Document, new[] { diagnostic }, FinallyKey, ct), FinallyKey),
                    diagnostic);
            }
        }

        private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics) =>
            await FixAsync(document, diagnostics, context.CodeActionEquivalenceKey ?? FinallyKey, context.CancellationToken).ConfigureAwait(false);

        private static async Task<Document> FixAsync(Document document, IEnumerable<Diagnostic> diagnostics, string key, CancellationToken cancellationToken)
        {
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (root == null || model == null)
            {
                return document;
            }

            // Plan on the original tree, then rewrite innermost (last) acquisitions first, following the nodes.
            var guards = new List<LocalDeclarationStatementSyntax>();
            var pairs = new List<(AcquisitionPair Pair, StatementSyntax? Scoped)>();
            foreach (var diagnostic in diagnostics)
            {
                var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
                var local = GuardLocal(node, model);
                if (local != null)
                {
                    if (key == UsingKey)
                    {
                        guards.Add(local);
                    }

                    continue;
                }

                var pair = AcquisitionPair.Find(node, model);
                if (pair != null && !pairs.Any(p => p.Pair.Acquire == pair.Acquire))
                {
                    var scoped = key == UsingKey ? ScopedStatement(pair, model) : null;
                    if (key == FinallyKey || scoped != null)
                    {
                        pairs.Add((pair, scoped));
                    }
                }
            }

            var tracked = root.TrackNodes(guards.Cast<SyntaxNode>().Concat(pairs.SelectMany(p => new SyntaxNode[] { p.Pair.Acquire, p.Pair.Release })));
            foreach (var local in guards)
            {
                var current = tracked.GetCurrentNode(local)!;
                tracked = tracked.ReplaceNode(current, current.WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithLeadingTrivia(current.GetLeadingTrivia()))
                    .WithDeclaration(current.Declaration.WithLeadingTrivia(SyntaxFactory.Space)));
            }

            foreach (var (pair, scoped) in pairs.OrderByDescending(p => p.Pair.Acquire.SpanStart))
            {
                var acquire = tracked.GetCurrentNode(pair.Acquire);
                var release = tracked.GetCurrentNode(pair.Release);
                if (acquire == null || release == null || acquire.Parent != release.Parent || !(acquire.Parent is BlockSyntax block))
                {
                    continue;
                }

                var between = AcquisitionPair.Between(block, acquire, release);
                var body = SyntaxFactory.Block(between);
                var replacement = scoped != null
                    ? new[] { WithBody(scoped, body).WithLeadingTrivia(acquire.GetLeadingTrivia()).WithTrailingTrivia(release.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation) }
                    : new StatementSyntax[]
                    {
                        acquire,
                        SyntaxFactory.TryStatement(body, default, SyntaxFactory.FinallyClause(SyntaxFactory.Block(release.WithoutLeadingTrivia())))
                            .WithTrailingTrivia(release.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation),
                    };
                var statements = block.Statements.ToList();
                var start = statements.IndexOf(acquire);
                var end = statements.IndexOf(release);
                statements.RemoveRange(start, end - start + 1);
                statements.InsertRange(start, replacement);
                tracked = tracked.ReplaceNode(block, block.WithStatements(SyntaxFactory.List(statements)));
            }

            return document.WithSyntaxRoot(tracked);
        }

        private static StatementSyntax WithBody(StatementSyntax statement, BlockSyntax body) => statement switch
        {
            LockStatementSyntax l => l.WithStatement(body),
            UsingStatementSyntax u => u.WithStatement(body),
            _ => statement,
        };

        /// <summary>How the scoped form reads, for the title, or null when there is none.</summary>
        private static string? ScopedForm(AcquisitionPair pair, SemanticModel model) => ScopedStatement(pair, model) switch
        {
            LockStatementSyntax l => $"lock ({l.Expression})",
            UsingStatementSyntax u => $"using ({u.Expression})",
            _ => null,
        };

        /// <summary><c>lock (x) { }</c> or <c>using (x.Guard()) { }</c> for the pair, with an empty body; null when the lock has no scoped form.</summary>
        private static StatementSyntax? ScopedStatement(AcquisitionPair pair, SemanticModel model)
        {
            var receiver = pair.Receiver.WithoutTrivia();
            var type = pair.AcquireMethod.ContainingType;
            var between = AcquisitionPair.Between((BlockSyntax)pair.Acquire.Parent!, pair.Acquire, pair.Release);
            var awaits = between.Any(s => s.DescendantNodesAndSelf(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is LocalFunctionStatementSyntax))
                .Any(n => n is AwaitExpressionSyntax));
            if (pair.IsMonitor || (type?.Name == "Lock" && type.ContainingNamespace?.ToDisplayString() == "System.Threading"))
            {
                return awaits ? null : SyntaxFactory.LockStatement(receiver, SyntaxFactory.Block());
            }

            var text = AcquisitionPair.AcquiresText(pair.AcquireMethod);
            var receiverType = model.GetTypeInfo(pair.Receiver).Type;
            var guard = text == null || receiverType == null ? null : LockWrapper.FindMethod(receiverType, "AcquiresAttribute", text, m => LockWrapper.IsScopedGuard(m.ReturnType));
            return guard == null
                ? null
                : SyntaxFactory.UsingStatement(null, SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName(guard.Name))), SyntaxFactory.Block());
        }

        /// <summary>A <c>var g = m.Guard();</c> declaration (a scoped guard kept in a plain local that is not used again) at <paramref name="node"/>.</summary>
        private static LocalDeclarationStatementSyntax? GuardLocal(SyntaxNode node, SemanticModel model)
        {
            var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (!(invocation?.Parent is EqualsValueClauseSyntax equals) || !(equals.Parent is VariableDeclaratorSyntax declarator) ||
                !(declarator.Parent?.Parent is LocalDeclarationStatementSyntax declaration) || declaration.UsingKeyword != default ||
                declaration.Declaration.Variables.Count != 1 || !(declaration.Parent is BlockSyntax block))
            {
                return null;
            }

            var type = model.GetTypeInfo(invocation).Type;
            var local = model.GetDeclaredSymbol(declarator);
            if (type == null || local == null || !LockWrapper.IsScopedGuard(type))
            {
                return null;
            }

            var used = block.DescendantNodes().OfType<IdentifierNameSyntax>().Any(id => id.Identifier.ValueText == local.Name &&
                SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(id).Symbol, local));
            return used ? null : declaration;
        }
    }
}
