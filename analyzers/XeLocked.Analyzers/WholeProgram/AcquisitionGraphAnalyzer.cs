using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// XL0011, the static twin of lockdep's "possible circular locking dependency": every nesting
    /// "B acquired while A held" the lock-set dataflow sees (directly, through callee contracts, and
    /// through calls into methods of this compilation, by their acquisition summaries) becomes an
    /// edge A → B of a lock-class graph; at compilation end each cycle of that graph that the
    /// declared <c>[LockOrder]</c> does not already forbid (an edge against the declared order is
    /// XL0001's) is reported once, at the lexically first place of its edges, with the whole cycle
    /// spelled out and every edge's place as an additional location.
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AcquisitionGraphAnalyzer : DiagnosticAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.AcquisitionCycle);

        /// <inheritdoc/>
        public override void Initialize(AnalysisContext context)
        {
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.EnableConcurrentExecution();
            context.RegisterCompilationStartAction(start =>
            {
                var model = CompilationModel.Get(start.Compilation);
                if (!model.Known.HasAnnotations)
                {
                    return;
                }

                var facts = new ProgramFacts();
                start.RegisterSymbolAction(type => AnalyzerGuard.Run(() =>
                    facts.Add(TypeCallEdges.Collect((INamedTypeSymbol)type.Symbol)), type.CancellationToken), SymbolKind.NamedType);
                start.RegisterOperationBlockAction(block => AnalyzerGuard.Run(() =>
                {
                    facts.Add(CallGraphWalker.Collect(block.OwningSymbol, block.OperationBlocks));
                    if (!(block.OwningSymbol is IMethodSymbol))
                    {
                        return;
                    }

                    foreach (var body in model.Flow.Get(block).Bodies)
                    {
                        facts.Add(BodyFactsBuilder.Build(model, body));
                    }
                }, block.CancellationToken));

                start.RegisterCompilationEndAction(end => AnalyzerGuard.Run(() =>
                {
                    var graph = facts.Build(model.Order, end.CancellationToken);
                    foreach (var cycle in CycleFinder.Find(graph, end.CancellationToken))
                    {
                        end.ReportDiagnostic(Report(cycle));
                    }
                }, end.CancellationToken));
            });
        }

        private static Diagnostic Report(List<AcquisitionEdge> cycle)
        {
            var first = cycle.Select(e => e.At).OrderBy(l => l, Comparer<Location>.Create(Witness.Comparison)).First();
            var others = cycle.Select(e => e.At).Where(l => l != first).Distinct();
            return Diagnostic.Create(DiagnosticDescriptors.AcquisitionCycle, first, others, Describe(cycle));
        }

        /// <summary>
        /// <c>A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at File.cs:5; A.Lock acquired
        /// while B.Lock held at File.cs:9 (through f() → g(), which acquires it at File.cs:12)</c>.
        /// </summary>
        internal static string Describe(List<AcquisitionEdge> cycle)
        {
            var classes = cycle.Select(e => LockOrderGraph.ClassName(e.Held)).Concat(new[] { LockOrderGraph.ClassName(cycle[0].Held) });
            var edges = cycle.Select(e =>
                $"{LockOrderGraph.ClassName(e.Acquired)} acquired while {LockOrderGraph.ClassName(e.Held)} held at {Witness.FileLine(e.At)}{e.Via}");
            return string.Join(" → ", classes) + ": " + string.Join("; ", edges);
        }
    }
}
