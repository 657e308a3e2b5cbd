using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// The statements a "wrap in lock" fix encloses for an access: the smallest statement that
    /// contains it within its block (or switch section), or the statement itself where it is the
    /// embedded body of an <c>if</c>/loop, or the expression body of a method, local function,
    /// accessor, property or indexer (turned into a block). A range in a block is widened through the
    /// last statement of that block that uses a variable it declares, so declarations stay in
    /// scope. Null when the access is in an expression-bodied lambda or a field initializer.
    /// </summary>
    internal sealed class WrapTarget
    {
        private WrapTarget(SyntaxNode container, int start, int end, SyntaxNode function)
        {
            Container = container;
            Start = start;
            End = end;
            Function = function;
        }

        /// <summary>The statements <paramref name="start"/>..<paramref name="end"/> of <paramref name="block"/>.</summary>
        public static WrapTarget InBlock(BlockSyntax block, int start, int end) => new WrapTarget(block, start, end, FunctionOf(block));

        /// <summary>A <see cref="BlockSyntax"/>, a <see cref="SwitchSectionSyntax"/>, an embedded statement, or a declaration with an expression body.</summary>
        public SyntaxNode Container { get; }

        /// <summary>First statement index in a block or switch section container (0 otherwise).</summary>
        public int Start { get; }

        /// <summary>Last statement index, inclusive.</summary>
        public int End { get; }

        /// <summary>The method, accessor, local function or lambda whose body holds the statements.</summary>
        public SyntaxNode Function { get; }

        /// <summary>True when the enclosing function is <c>async</c>.</summary>
        public bool InAsyncFunction => IsAsync(Function);

        /// <summary>Whether <see cref="Container"/> holds a list of statements (a block or a switch section).</summary>
        public bool IsList => Container is BlockSyntax || Container is SwitchSectionSyntax;

        /// <summary>The same container with the range <paramref name="start"/>..<paramref name="end"/>.</summary>
        public WrapTarget WithRange(int start, int end) => new WrapTarget(Container, start, end, Function);

        /// <summary>The statements of a list container.</summary>
        public static SyntaxList<StatementSyntax> StatementsOf(SyntaxNode container) => container switch
        {
            BlockSyntax b => b.Statements,
            SwitchSectionSyntax s => s.Statements,
            _ => default,
        };

        /// <summary>The original statements in the range (the statement itself for an embedded one; none for an expression body).</summary>
        public IReadOnlyList<StatementSyntax> Statements => IsList
            ? StatementsOf(Container).Skip(Start).Take(End - Start + 1).ToList()
            : Container is StatementSyntax s ? new[] { s } : new StatementSyntax[0];

        /// <summary>Where the range starts, to bind the lock expression.</summary>
        public int Position => IsList ? StatementsOf(Container)[Start].SpanStart : Container is StatementSyntax s ? s.SpanStart : ArrowOf(Container)!.Expression.SpanStart;

        /// <summary>The nodes covered by the range (for containment and content checks).</summary>
        public IEnumerable<SyntaxNode> CoveredNodes => IsList || Container is StatementSyntax ? Statements : new SyntaxNode[] { ArrowOf(Container)!.Expression };

        /// <summary>The target for the access at <paramref name="node"/>, or null when there is none the fix can use.</summary>
        public static WrapTarget? Find(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
        {
            for (var n = node; n != null; n = n.Parent)
            {
                switch (n)
                {
                    case ArrowExpressionClauseSyntax arrow:
                        return arrow.Parent is MethodDeclarationSyntax || arrow.Parent is LocalFunctionStatementSyntax ||
                               arrow.Parent is AccessorDeclarationSyntax || arrow.Parent is PropertyDeclarationSyntax ||
                               arrow.Parent is IndexerDeclarationSyntax
                            ? new WrapTarget(arrow.Parent, 0, 0, FunctionOf(arrow.Parent))
                            : null;
                    case AnonymousFunctionExpressionSyntax _:
                    case MemberDeclarationSyntax _:
                        return null;
                    case StatementSyntax statement when !(statement is BlockSyntax):
                        var function = FunctionOf(statement);
                        if (function == null)
                        {
                            return null;
                        }

                        if (statement.Parent is BlockSyntax || statement.Parent is SwitchSectionSyntax)
                        {
                            var index = StatementsOf(statement.Parent).IndexOf(statement);
                            return Widen(new WrapTarget(statement.Parent, index, index, function), model, cancellationToken);
                        }

                        return statement is LocalDeclarationStatementSyntax || statement is LabeledStatementSyntax || statement is LocalFunctionStatementSyntax
                            ? null
                            : new WrapTarget(statement, 0, 0, function);
                }
            }

            return null;
        }

        /// <summary>
        /// <paramref name="target"/> widened through the last statement of its block that uses a
        /// variable declared in the range, repeated until nothing declared escapes.
        /// </summary>
        public static WrapTarget Widen(WrapTarget target, SemanticModel model, CancellationToken cancellationToken)
        {
            if (!target.IsList)
            {
                return target;
            }

            var statements = StatementsOf(target.Container);
            var end = target.End;
            var scanned = target.Start;
            var declared = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            while (true)
            {
                for (; scanned <= end; scanned++)
                {
                    foreach (var d in statements[scanned].DescendantNodesAndSelf())
                    {
                        var symbol = d is VariableDeclaratorSyntax || d is SingleVariableDesignationSyntax
                            ? model.GetDeclaredSymbol(d, cancellationToken)
                            : null;
                        if (symbol is ILocalSymbol)
                        {
                            declared.Add(symbol);
                        }
                    }
                }

                var last = end;
                for (var i = end + 1; i < statements.Count; i++)
                {
                    if (declared.Count > 0 && statements[i].DescendantNodes().OfType<IdentifierNameSyntax>()
                            .Any(id => declared.Contains(model.GetSymbolInfo(id, cancellationToken).Symbol!)))
                    {
                        last = i;
                    }
                }

                if (last == end)
                {
                    return target.WithRange(target.Start, end);
                }

                end = last;
            }
        }

        /// <summary>
        /// True when the range can be enclosed: no local function, label or <c>using</c> declaration
        /// at its top level (their scope would change), no <c>yield</c> (an iterator would suspend
        /// holding the lock) and, unless <paramref name="allowAwait"/>, no <c>await</c> of the function itself.
        /// </summary>
        public bool CanEnclose(bool allowAwait)
        {
            if (Statements.Any(s => s is LocalFunctionStatementSyntax || s is LabeledStatementSyntax ||
                                    (s is LocalDeclarationStatementSyntax d && d.UsingKeyword != default)))
            {
                return false;
            }

            foreach (var node in CoveredNodes.SelectMany(c => c.DescendantNodesAndSelf(n => !(n is AnonymousFunctionExpressionSyntax) && !(n is LocalFunctionStatementSyntax))))
            {
                if (node is YieldStatementSyntax)
                {
                    return false;
                }

                if (!allowAwait && IsAwait(node))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>True when <paramref name="node"/> lies in the range, in the same function (a lambda or local function inside runs on its own).</summary>
        public bool Covers(SyntaxNode node, SyntaxNode nodeFunction) =>
            nodeFunction == Function && CoveredNodes.Any(c => c != node && c.Span.Contains(node.Span) && c.SyntaxTree == node.SyntaxTree);

        private static bool IsAwait(SyntaxNode node) => node switch
        {
            AwaitExpressionSyntax _ => true,
            CommonForEachStatementSyntax f => f.AwaitKeyword != default,
            UsingStatementSyntax u => u.AwaitKeyword != default,
            LocalDeclarationStatementSyntax l => l.AwaitKeyword != default,
            _ => false,
        };

        /// <summary>The nearest enclosing method, accessor, local function or lambda of <paramref name="node"/> (itself included).</summary>
        public static SyntaxNode FunctionOf(SyntaxNode node)
        {
            for (var n = node; n != null; n = n.Parent)
            {
                if (n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax || n is BaseMethodDeclarationSyntax ||
                    n is AccessorDeclarationSyntax || n is BasePropertyDeclarationSyntax)
                {
                    return n;
                }
            }

            return node;
        }

        /// <summary>True when <paramref name="function"/> has the <c>async</c> modifier.</summary>
        public static bool IsAsync(SyntaxNode function) => function switch
        {
            AnonymousFunctionExpressionSyntax a => a.AsyncKeyword != default,
            LocalFunctionStatementSyntax l => l.Modifiers.Any(SyntaxKind.AsyncKeyword),
            BaseMethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.AsyncKeyword),
            _ => false,
        };

        /// <summary>The expression body of a declaration, if it has one.</summary>
        public static ArrowExpressionClauseSyntax? ArrowOf(SyntaxNode declaration) => declaration switch
        {
            MethodDeclarationSyntax m => m.ExpressionBody,
            LocalFunctionStatementSyntax f => f.ExpressionBody,
            AccessorDeclarationSyntax a => a.ExpressionBody,
            PropertyDeclarationSyntax p => p.ExpressionBody,
            IndexerDeclarationSyntax i => i.ExpressionBody,
            _ => null,
        };
    }
}
