using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// XL0004 (a call does not satisfy the callee's <c>[Requires]</c>; with alternatives, any one
    /// suffices and the message says why each failed) and XL0012 (a method marked
    /// <c>[Excludes(x)]</c> is called while <c>x</c> is held).
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class CallContractAnalyzer : FlowRuleAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.RequiresNotSatisfied,
            DiagnosticDescriptors.ExcludedLockHeld);

        internal override void Check(CompilationModel model, BodyFlow body, Action<Diagnostic> report)
        {
            foreach (var e in body.Events)
            {
                if (!(e is CallEvent call))
                {
                    continue;
                }

                var location = call.Operation.Syntax.GetLocation();
                foreach (var requires in call.Contract.Requires)
                {
                    var result = RequirementChecker.Check(requires, call.Substitution.Apply, call.Before, writeWhenNoMode: false);
                    if (!result.Satisfied)
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.RequiresNotSatisfied, location,
                            RequirementText.RequiredProperties(requires, call.Substitution.Apply, writeWhenNoMode: false, body.Method),
                            call.Callee.Name, requires.Text,
                            call.Contract.InferredFrom == null ? result.Explanation : $"{result.Explanation} ({call.Contract.InferredFrom}: it lets the lock go and takes it back)"));
                    }
                }

                foreach (var excluded in call.Contract.Excludes)
                {
                    var path = call.Substitution.Apply(excluded.Path);
                    if (path != null && call.Before.Find(path) != null)
                    {
                        report(Diagnostic.Create(DiagnosticDescriptors.ExcludedLockHeld, location, call.Callee.Name, path.ToString(), excluded.Source.ToString()));
                    }
                }
            }
        }
    }
}
