using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Checks every <c>[InnerLocks]</c>: it declares that the object held in an instance field or
    /// property is inner to the object holding it, so on a static member (no holder) or on a member
    /// whose type is not a class, interface or type parameter (no object with locks of its own:
    /// a value is copied, not wrapped) it is XL0010, at the attribute, and declares nothing.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class InnerLocksAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.InvalidLockExpression);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var innerLocks = CompilationModel.Get(start.Compilation).Known.InnerLocks;
                if (innerLocks == null)
                {
                    return;
                }

                start.RegisterSymbolAction(c => AnalyzerGuard.Run(() =>
                {
                    foreach (var attribute in c.Symbol.GetAttributes())
                    {
                        if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, innerLocks) || Problem(c.Symbol) is not string problem)
                        {
                            continue;
                        }

                        var at = attribute.ApplicationSyntaxReference?.GetSyntax(c.CancellationToken).GetLocation() ?? c.Symbol.Locations[0];
                        c.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidLockExpression, at, "[InnerLocks]", problem));
                    }
                }, c.CancellationToken), SymbolKind.Field, SymbolKind.Property);
            });
        }

        private static string? Problem(ISymbol member)
        {
            var type = member switch
            {
                IFieldSymbol f => f.Type,
                IPropertySymbol p => p.Type,
                _ => null,
            };
            if (member.IsStatic)
            {
                return $"'{member.Name}' is static: [InnerLocks] declares the object an instance holds inner to that instance";
            }

            if (type != null && !(type.TypeKind == TypeKind.Class || type.TypeKind == TypeKind.Interface ||
                                  (type.TypeKind == TypeKind.TypeParameter && type.IsReferenceType)))
            {
                return $"'{member.Name}' is of type '{type.ToDisplayString()}', not a class or interface: it holds no object whose locks could be inner";
            }

            return null;
        }
    }
}
