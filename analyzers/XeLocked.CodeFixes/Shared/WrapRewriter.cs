using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>Applies merged <see cref="WrapPlan"/>s to a syntax tree, innermost containers first.</summary>
    internal static class WrapRewriter
    {
        /// <summary><paramref name="root"/> with every plan applied (plans whose wraps cannot be built are skipped).</summary>
        public static SyntaxNode Apply(SyntaxNode root, IReadOnlyList<WrapPlan> plans, SemanticModel model)
        {
            var byContainer = new Dictionary<SyntaxNode, List<(WrapPlan Plan, IReadOnlyList<LockWrapper> Wrappers)>>();
            foreach (var plan in plans)
            {
                var wrappers = plan.Wrappers(model);
                if (wrappers == null)
                {
                    continue;
                }

                if (!byContainer.TryGetValue(plan.Target.Container, out var list))
                {
                    byContainer[plan.Target.Container] = list = new List<(WrapPlan, IReadOnlyList<LockWrapper>)>();
                }

                list.Add((plan, wrappers));
            }

            return root.ReplaceNodes(byContainer.Keys, (original, rewritten) => Rewrite(original, rewritten, byContainer[original], model));
        }

        private static SyntaxNode Rewrite(SyntaxNode original, SyntaxNode rewritten, List<(WrapPlan Plan, IReadOnlyList<LockWrapper> Wrappers)> plans, SemanticModel model)
        {
            switch (rewritten)
            {
                case BlockSyntax block:
                    return block.WithStatements(RewriteList(block.Statements, plans));
                case SwitchSectionSyntax section:
                    return section.WithStatements(RewriteList(section.Statements, plans));
                case StatementSyntax statement:
                    var wrapped = Enclose(new[] { statement }, plans[0].Wrappers);
                    return wrapped.Count == 1
                        ? wrapped[0].WithTriviaFrom(statement)
                        : SyntaxFactory.Block(wrapped).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
                default:
                    return ExpressionBodyToBlock(original, rewritten, plans[0].Wrappers, model);
            }
        }

        private static SyntaxList<StatementSyntax> RewriteList(SyntaxList<StatementSyntax> statements, List<(WrapPlan Plan, IReadOnlyList<LockWrapper> Wrappers)> plans)
        {
            var result = statements.ToList();
            foreach (var (plan, wrappers) in plans.OrderByDescending(p => p.Plan.Target.Start))
            {
                var range = result.Skip(plan.Target.Start).Take(plan.Target.End - plan.Target.Start + 1).ToList();
                var wrapped = Enclose(range, wrappers);
                result.RemoveRange(plan.Target.Start, range.Count);
                result.InsertRange(plan.Target.Start, wrapped);
            }

            return SyntaxFactory.List(result);
        }

        /// <summary>The statements wrapped; the first one's leading trivia (comments, blank lines) moves in front of the wrap.</summary>
        private static IReadOnlyList<StatementSyntax> Enclose(IReadOnlyList<StatementSyntax> range, IReadOnlyList<LockWrapper> wrappers)
        {
            var leading = range[0].GetLeadingTrivia();
            var inner = range.ToList();
            inner[0] = inner[0].WithLeadingTrivia(SyntaxFactory.ElasticMarker);
            inner[inner.Count - 1] = inner[inner.Count - 1].WithTrailingTrivia(SyntaxFactory.ElasticMarker);
            var wrapped = LockWrapper.WrapAll(wrappers, inner).ToList();
            wrapped[0] = wrapped[0].WithLeadingTrivia(leading);
            wrapped[wrapped.Count - 1] = wrapped[wrapped.Count - 1].WithTrailingTrivia(range[range.Count - 1].GetTrailingTrivia());
            return wrapped;
        }

        /// <summary>An expression-bodied member turned into a block body whose one statement is wrapped.</summary>
        private static SyntaxNode ExpressionBodyToBlock(SyntaxNode original, SyntaxNode rewritten, IReadOnlyList<LockWrapper> wrappers, SemanticModel model)
        {
            var arrow = WrapTarget.ArrowOf(rewritten)!;
            var expression = arrow.Expression.WithoutTrivia();
            StatementSyntax statement = ReturnsValue(original, model)
                ? SyntaxFactory.ReturnStatement(expression)
                : SyntaxFactory.ExpressionStatement(expression);
            var body = SyntaxFactory.Block(LockWrapper.WrapAll(wrappers, new[] { statement }));
            SyntaxNode result = rewritten switch
            {
                MethodDeclarationSyntax m => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body),
                LocalFunctionStatementSyntax f => f.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body),
                AccessorDeclarationSyntax a => a.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body),
                PropertyDeclarationSyntax p => p.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(Getter(body)),
                IndexerDeclarationSyntax i => i.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(Getter(body)),
                _ => rewritten,
            };
            var trailing = rewritten.GetTrailingTrivia();
            return result.WithTrailingTrivia(trailing).WithAdditionalAnnotations(Formatter.Annotation);
        }

        private static AccessorListSyntax Getter(BlockSyntax body) =>
            SyntaxFactory.AccessorList(SyntaxFactory.SingletonList(SyntaxFactory.AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, body)));

        /// <summary>True when the expression body's value is returned (not void, not a setter, not a non-generic async Task).</summary>
        private static bool ReturnsValue(SyntaxNode declaration, SemanticModel model)
        {
            if (declaration is PropertyDeclarationSyntax || declaration is IndexerDeclarationSyntax)
            {
                return true;
            }

            if (declaration is AccessorDeclarationSyntax accessor)
            {
                return accessor.IsKind(SyntaxKind.GetAccessorDeclaration);
            }

            if (!(model.GetDeclaredSymbol(declaration) is IMethodSymbol method) || method.ReturnsVoid)
            {
                return false;
            }

            return !(method.IsAsync && method.ReturnType is INamedTypeSymbol t && !t.IsGenericType);
        }
    }
}
