using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0013: a lock that is not async-aware is held across an <c>await</c> (explicit, or the
    /// implicit ones of <c>await foreach</c> and <c>await using</c>). Reported on the await, once per
    /// held lock. A method reports the locks it acquired and those its contract says are held on
    /// entry; a lambda reports only what it acquires itself (the locks it inherits from where it is
    /// created are held by its creator, which is not suspended by the lambda's await).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AwaitAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.LockHeldAcrossAwait);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            if (body.IsLockImplementation)
            {
                return;
            }

            var isLambda = body.Method.MethodKind == MethodKind.AnonymousFunction;
            foreach (var e in body.Events)
            {
                if (!(e is AwaitEvent suspension))
                {
                    continue;
                }

                foreach (var held in e.Before.Certain)
                {
                    if (isLambda && (held.Kind == HoldKind.Contract || held.Kind == HoldKind.Asserted))
                    {
                        continue;
                    }

                    if (AsyncAwareLocks.Problem(model, held, body.Method) is string problem)
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.LockHeldAcrossAwait, Where(suspension.Await),
                            held.Path.ToString(), problem));
                    }
                }
            }
        }

        /// <summary>
        /// An explicit await is reported on itself. The implicit awaits of <c>await foreach</c>
        /// (<c>MoveNextAsync</c>, <c>DisposeAsync</c>) and <c>await using</c> (<c>DisposeAsync</c>)
        /// are reported once, on the statement's header from <c>await</c> to the closing parenthesis
        /// (the whole declaration for <c>await using var</c>).
        /// </summary>
        private static Location Where(IAwaitOperation suspension)
        {
            if (suspension.IsImplicit)
            {
                for (var node = suspension.Syntax; node != null; node = node.Parent)
                {
                    switch (node)
                    {
                        case CommonForEachStatementSyntax loop when loop.AwaitKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.AwaitKeyword):
                            return Header(loop, loop.AwaitKeyword, loop.CloseParenToken);
                        case UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.AwaitKeyword):
                            return Header(statement, statement.AwaitKeyword, statement.CloseParenToken);
                        case LocalDeclarationStatementSyntax declaration when declaration.AwaitKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.AwaitKeyword):
                            return declaration.GetLocation();
                        case StatementSyntax _:
                            return suspension.Syntax.GetLocation();
                    }
                }
            }

            return suspension.Syntax.GetLocation();
        }

        private static Location Header(SyntaxNode statement, SyntaxToken from, SyntaxToken to) =>
            Location.Create(statement.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(from.SpanStart, to.Span.End));
    }
}
