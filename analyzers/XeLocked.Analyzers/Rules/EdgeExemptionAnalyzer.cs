using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;
using XeLocked.Analyzers.WholeProgram;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Checks every <c>[NoLockEdge(held, acquired, Justification = …)]</c>: a lock-class name that does
    /// not resolve is XL0010 (at the characters at fault), a missing or empty justification or the
    /// same class named twice is XL0015. Such an attribute exempts nothing (see <see cref="EdgeExemptions"/>).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class EdgeExemptionAnalyzer : CompilationModelAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.InvalidLockExpression,
            DiagnosticDescriptors.InvalidEdgeExemption);

        /// <inheritdoc/>
        private protected override bool AppliesTo(CompilationModel model) => model.Known.NoLockEdge != null;

        /// <inheritdoc/>
        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, CompilationModel model)
        {
            start.RegisterSymbolAction(c => AnalyzerGuard.Run(() =>
            {
                foreach (var d in EdgeExemptions.Problems(c.Symbol, model, c.CancellationToken))
                {
                    c.ReportDiagnostic(d);
                }
            }, c.CancellationToken), SymbolKind.Method, SymbolKind.Property);

            // Lambdas and local functions are not symbols of the declaration tree: found from syntax, only when they have attributes.
            start.RegisterSyntaxNodeAction(c => AnalyzerGuard.Run(() =>
            {
                var attributes = c.Node switch
                {
                    LocalFunctionStatementSyntax f => f.AttributeLists,
                    ParenthesizedLambdaExpressionSyntax l => l.AttributeLists,
                    _ => default,
                };
                if (attributes.Count == 0)
                {
                    return;
                }

                var symbol = c.Node is LocalFunctionStatementSyntax
                    ? c.SemanticModel.GetDeclaredSymbol(c.Node, c.CancellationToken)
                    : c.SemanticModel.GetSymbolInfo(c.Node, c.CancellationToken).Symbol;
                if (symbol != null)
                {
                    foreach (var d in EdgeExemptions.Problems(symbol, model, c.CancellationToken))
                    {
                        c.ReportDiagnostic(d);
                    }
                }
            }, c.CancellationToken), SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
        }
    }
}
