using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Contract-level checks, independent of any method body: XL0010 (a lock expression that does
    /// not parse or resolve, names a non-lock, or puts a mode on an exclusive lock), XL0005 (a
    /// reader-writer lock without a mode where one is needed) and XL0009 (a cycle in the declared
    /// <c>[LockOrder]</c>, reported once per cycle).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ContractAnalyzer : CompilationModelAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.InvalidLockExpression,
            DiagnosticDescriptors.MissingMode,
            DiagnosticDescriptors.LockOrderCycle);

        /// <inheritdoc/>
        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, CompilationModel model)
        {
            start.RegisterSymbolAction(c => Guarded(c, () => AnalyzeMethod(c.ReportDiagnostic, model, (IMethodSymbol)c.Symbol)), SymbolKind.Method);
            start.RegisterSymbolAction(c => Guarded(c, () => AnalyzeMember(c, model)), SymbolKind.Field, SymbolKind.Property);
            // Lambdas and local functions: only those with attributes, found from syntax (cheap).
            start.RegisterSyntaxNodeAction(c => AnalyzerGuard.Run(() => AnalyzeNested(c, model), c.CancellationToken),
                SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression);
        }

        private static void AnalyzeMethod(Action<Diagnostic> report, CompilationModel model, IMethodSymbol method)
        {
            foreach (var problem in model.Contracts.GetMethod(method).Problems)
            {
                report(problem.ToDiagnostic());
            }
        }

        private static void AnalyzeNested(SyntaxNodeAnalysisContext context, CompilationModel model)
        {
            var attributes = context.Node switch
            {
                LocalFunctionStatementSyntax f => f.AttributeLists,
                ParenthesizedLambdaExpressionSyntax l => l.AttributeLists,
                _ => default,
            };
            if (attributes.Count == 0)
            {
                return;
            }

            var symbol = context.Node is LocalFunctionStatementSyntax
                ? context.SemanticModel.GetDeclaredSymbol(context.Node, context.CancellationToken) as IMethodSymbol
                : context.SemanticModel.GetSymbolInfo(context.Node, context.CancellationToken).Symbol as IMethodSymbol;
            if (symbol != null)
            {
                AnalyzeMethod(context.ReportDiagnostic, model, symbol);
            }
        }

        private static void AnalyzeMember(SymbolAnalysisContext context, CompilationModel model)
        {
            var member = context.Symbol;
            var guard = model.Contracts.GetGuard(member, context.CancellationToken);
            if (guard != null)
            {
                foreach (var problem in guard.Problems)
                {
                    context.ReportDiagnostic(problem.ToDiagnostic());
                }
            }

            if (member is IPropertySymbol property)
            {
                // Property-level [Requires] is resolved here once (it applies to both accessors).
                foreach (var a in property.GetAttributes().Where(a => KnownSymbols.Is(a, model.Known.Requires)))
                {
                    var problems = new List<ContractProblem>();
                    model.Expressions.Resolve(AttributeReader.Positional(a, 0, property, context.CancellationToken), property,
                        ExpressionUse.NeedsMode, "Requires", true, problems);
                    foreach (var problem in problems)
                    {
                        context.ReportDiagnostic(problem.ToDiagnostic());
                    }
                }
            }

            if (!KnownSymbols.HasAttribute(member, model.Known.LockOrder))
            {
                return;
            }

            var order = model.Order;
            foreach (var problem in order.ProblemsOf(member))
            {
                context.ReportDiagnostic(problem.ToDiagnostic());
            }

            foreach (var cycle in order.Cycles)
            {
                if (SymbolEqualityComparer.Default.Equals(cycle[0], member.OriginalDefinition))
                {
                    var attribute = KnownSymbols.GetAttribute(member, model.Known.LockOrder);
                    var location = attribute?.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation() ?? member.Locations[0];
                    var text = string.Join(" -> ", cycle.Select(LockOrderGraph.ClassName));
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LockOrderCycle, location, text));
                }
            }
        }

        private static void Guarded(SymbolAnalysisContext c, Action action) => AnalyzerGuard.Run(action, c.CancellationToken);

    }
}
