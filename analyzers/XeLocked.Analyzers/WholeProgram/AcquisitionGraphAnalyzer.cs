using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// The whole-program lock rules, found at compilation end from the acquisition summaries of
    /// every method of the compilation.
    /// <list type="bullet">
    /// <item>XL0011, the static twin of lockdep's "possible circular locking dependency": every
    /// nesting "B acquired while A held" the lock-set dataflow sees (directly, through callee
    /// contracts, and through calls into methods of this compilation, by their acquisition
    /// summaries) becomes an edge A → B of a lock-class graph, unless the declared order forbids it
    /// or the body exempts it with <c>[NoLockEdge]</c>; each cycle is reported once, at the lexically
    /// first place of its edges, with the whole cycle spelled out and every edge's place as an
    /// additional location. A cycle among lock classes the project declared nothing about (see
    /// <see cref="DeclaredLockClasses"/>) is reported with severity Info, so that adding the package
    /// to a project with warnings as errors does not fail its build on inferences it never asked for.
    /// A cycle that goes down an <c>[InnerLocks]</c> tree and never up cannot close between
    /// instances and is not reported (<see cref="InstanceCycles"/>).</item>
    /// <item>XL0015 for a valid <c>[NoLockEdge]</c> that removes nothing: none of the bodies it covers
    /// makes that nesting (the code changed, or the edge was never inferred).</item>
    /// <item>XL0001 through calls: holding B and calling something that (through any chain of calls)
    /// acquires A, where <c>[LockOrder]</c> puts A before B, is reported at the call, once per held
    /// and acquired class, with the chain down to the acquisition.</item>
    /// </list>
    /// </summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class AcquisitionGraphAnalyzer : CompilationModelAnalyzer
    {
        /// <inheritdoc/>
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
            DiagnosticDescriptors.AcquisitionCycle,
            DiagnosticDescriptors.LockOrderViolationThroughCall,
            DiagnosticDescriptors.UnusedEdgeExemption);

        /// <inheritdoc/>
        private protected override void OnCompilationStart(CompilationStartAnalysisContext start, CompilationModel model)
        {
            var facts = new ProgramFacts();
            var declared = new DeclaredLockClasses();
            start.RegisterSymbolAction(c => AnalyzerGuard.Run(() => declared.Add(model.Contracts.GetMethod((IMethodSymbol)c.Symbol, c.CancellationToken)),
                c.CancellationToken), SymbolKind.Method);
            start.RegisterSymbolAction(c => AnalyzerGuard.Run(() => declared.Add(model.Contracts.GetGuard(c.Symbol, c.CancellationToken)),
                c.CancellationToken), SymbolKind.Field, SymbolKind.Property);
            start.RegisterSymbolAction(type => AnalyzerGuard.Run(() =>
                facts.Add(TypeCallEdges.Collect((INamedTypeSymbol)type.Symbol)), type.CancellationToken), SymbolKind.NamedType);
            start.RegisterOperationBlockAction(block => AnalyzerGuard.Run(() =>
            {
                facts.Add(CallGraphWalker.Collect(block.OwningSymbol, block.OperationBlocks, model.Known.InnerLocks,
                    call => Ownership.FreshReceiver.FreshMembersAt(model.Ownership, call)));
                if (!(block.OwningSymbol is IMethodSymbol))
                {
                    return;
                }

                var bodies = model.Flow.Get(block).Bodies;
                if (bodies.Count == 0 && block.OwningSymbol is IMethodSymbol bare)
                {
                    // A body with no lock operation is not analyzed, but a [NoLockEdge] on it is still checked: it removes nothing.
                    var empty = new BodyFacts(Witness.Canonical(bare));
                    empty.Exempt.AddRange(EdgeExemptions.For(bare, model, block.CancellationToken));
                    if (empty.Exempt.Count > 0)
                    {
                        facts.Add(empty);
                    }
                }

                var inlined = new HashSet<IMethodSymbol>(
                    bodies.Where(b => b.InheritsCallerLocks && b.Method.MethodKind == MethodKind.LocalFunction).Select(b => b.Method.OriginalDefinition),
                    SymbolEqualityComparer.Default);
                foreach (var body in bodies)
                {
                    var built = BodyFactsBuilder.Build(model, body, inlined);
                    built.Exempt.AddRange(EdgeExemptions.For(body.Method, model, block.CancellationToken));
                    facts.Add(built);
                    if (body.Method.MethodKind == MethodKind.AnonymousFunction || body.Method.MethodKind == MethodKind.LocalFunction)
                    {
                        declared.Add(model.Contracts.GetMethod(body.Method, block.CancellationToken));
                    }
                }
            }, block.CancellationToken));

            start.RegisterCompilationEndAction(end => AnalyzerGuard.Run(() =>
            {
                var violations = new List<CallOrderViolation>();
                var unused = new List<EdgeExemption>();
                var graph = facts.Build(model.Order, violations, unused, end.CancellationToken);
                foreach (var e in unused)
                {
                    end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnusedEdgeExemption, e.At,
                        e.IsInstanceOrder
                            ? $"removes nothing: this code takes no instance of '{LockOrderGraph.ClassName(e.Inner)}' while holding another one; remove it"
                            : $"removes no edge: this code makes no nesting of '{LockOrderGraph.ClassName(e.Inner)}' while '{LockOrderGraph.ClassName(e.Outer)}' is held, directly or through its calls; remove it"));
                }

                foreach (var v in violations)
                {
                    end.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LockOrderViolationThroughCall, v.Site,
                        LockOrderGraph.ClassName(v.Inner), v.Chain, v.OuterPath, LockOrderGraph.ClassName(v.Outer)));
                }

                foreach (var cycle in InstanceCycles.Filter(graph, CycleFinder.Find(graph, end.CancellationToken), end.CancellationToken))
                {
                    var loud = cycle.Any(e => declared.IsDeclared(e.Outer, model));
                    end.ReportDiagnostic(Report(cycle, loud ? DiagnosticSeverity.Warning : DiagnosticSeverity.Info));
                }
            }, end.CancellationToken));
        }

        private static Diagnostic Report(List<AcquisitionEdge> cycle, DiagnosticSeverity severity)
        {
            var first = cycle.Select(e => e.At).OrderBy(l => l, Comparer<Location>.Create(Witness.Comparison)).First();
            var others = cycle.Select(e => e.At).Where(l => l != first).Distinct();
            return Diagnostic.Create(DiagnosticDescriptors.AcquisitionCycle, first, severity, others, null, Describe(cycle));
        }

        /// <summary>
        /// <c>A.Lock → B.Lock → A.Lock: B.Lock acquired while A.Lock held at File.cs:5; A.Lock acquired
        /// while B.Lock held at File.cs:9 (through f() → g(), which acquires it at File.cs:12)</c>.
        /// </summary>
        internal static string Describe(List<AcquisitionEdge> cycle)
        {
            var classes = cycle.Select(e => LockOrderGraph.ClassName(e.Outer)).Concat(new[] { LockOrderGraph.ClassName(cycle[0].Outer) });
            var edges = cycle.Select(e =>
                $"{LockOrderGraph.ClassName(e.Inner)} acquired while {LockOrderGraph.ClassName(e.Outer)} held at {Witness.FileLine(e.At)}{e.Via}");
            return string.Join(" → ", classes) + ": " + string.Join("; ", edges);
        }
    }
}
