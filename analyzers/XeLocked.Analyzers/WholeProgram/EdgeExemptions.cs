using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Reads <c>[NoLockEdge(held, acquired, Justification = …)]</c>: the inferred nestings a body
    /// declares false, which the acquisition graph leaves out. One naming a single class twice
    /// (<c>[NoLockEdge("Account.Lock", "Account.Lock", …)]</c>) declares that the body takes two
    /// instances of that class in a fixed order (by key, by address): XL0006 does not report their
    /// nesting there. An attribute applies to the body of
    /// the method (constructor, accessor, local function, lambda) it is on, and to the lambdas and
    /// local functions declared inside that body; one on a property applies to its accessors.
    /// Attributes with a problem (XL0010, XL0015) exempt nothing.
    /// </summary>
    internal static class EdgeExemptions
    {
        /// <summary>Whether the body of <paramref name="method"/> declares two instances of <paramref name="lockClass"/> nested in a fixed order.</summary>
        public static bool OrdersInstances(IMethodSymbol method, ISymbol lockClass, CompilationModel model, CancellationToken ct)
        {
            foreach (var e in For(method, model, ct))
            {
                if (e.IsInstanceOrder && SymbolEqualityComparer.Default.Equals(e.Outer, lockClass.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The (held class, acquired class) pairs exempted for the body of <paramref name="method"/>.</summary>
        public static List<EdgeExemption> For(IMethodSymbol method, CompilationModel model, CancellationToken ct)
        {
            var result = new List<EdgeExemption>();
            if (model.Known.NoLockEdge == null)
            {
                return result;
            }

            for (ISymbol? s = method; s is IMethodSymbol m; s = m.ContainingSymbol)
            {
                Collect(m, model, ct, result);
                if (m.AssociatedSymbol is IPropertySymbol property)
                {
                    Collect(property, model, ct, result);
                }
            }

            return result;
        }

        /// <summary>The problems of the <c>[NoLockEdge]</c> attributes on <paramref name="owner"/>.</summary>
        public static List<Diagnostic> Problems(ISymbol owner, CompilationModel model, CancellationToken ct)
        {
            var result = new List<Diagnostic>();
            foreach (var attribute in owner.GetAttributes())
            {
                if (KnownSymbols.Is(attribute, model.Known.NoLockEdge))
                {
                    Read(attribute, owner, model, ct, result);
                }
            }

            return result;
        }

        private static void Collect(ISymbol owner, CompilationModel model, CancellationToken ct, List<EdgeExemption> result)
        {
            foreach (var attribute in owner.GetAttributes())
            {
                if (KnownSymbols.Is(attribute, model.Known.NoLockEdge) && Read(attribute, owner, model, ct, null) is (ISymbol held, ISymbol acquired))
                {
                    var at = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? Location.None;
                    result.Add(new EdgeExemption(held, acquired, at));
                }
            }
        }

        /// <summary>The exempted pair of one attribute, or null when it has a problem (added to <paramref name="problems"/>).</summary>
        private static (ISymbol Held, ISymbol Acquired)? Read(AttributeData attribute, ISymbol owner, CompilationModel model, CancellationToken ct,
            List<Diagnostic>? problems)
        {
            var found = new List<ContractProblem>();
            var heldSource = AttributeReader.Positional(attribute, 0, owner, ct);
            var acquiredSource = AttributeReader.Positional(attribute, 1, owner, ct);
            var held = LockOrderGraph.ResolveClass(model.Compilation, model.Types, model.Classifier, heldSource, owner, found);
            var acquired = LockOrderGraph.ResolveClass(model.Compilation, model.Types, model.Classifier, acquiredSource, owner, found);
            var where = attribute.ApplicationSyntaxReference?.GetSyntax(ct).GetLocation() ?? heldSource.Fallback;
            var justification = AttributeReader.Named(attribute, "Justification", owner, ct);
            var ok = found.Count == 0;
            if (problems != null)
            {
                foreach (var p in found)
                {
                    problems.Add(p.ToDiagnostic());
                }
            }

            if (string.IsNullOrWhiteSpace(justification?.Text))
            {
                ok = false;
                problems?.Add(Diagnostic.Create(DiagnosticDescriptors.InvalidEdgeExemption, justification?.Whole ?? where,
                    "needs a Justification saying why this nesting cannot take part in a deadlock"));
            }

            return ok && held != null && acquired != null ? (held, acquired) : ((ISymbol, ISymbol)?)null;
        }
    }

    /// <summary>One valid <c>[NoLockEdge]</c>: the nesting it removes and where the attribute is.</summary>
    internal sealed class EdgeExemption
    {
        public EdgeExemption(ISymbol outer, ISymbol inner, Location at)
        {
            Outer = outer;
            Inner = inner;
            At = at;
        }

        /// <summary>The lock class held (the attribute's <c>held</c>).</summary>
        public ISymbol Outer { get; }

        /// <summary>The lock class acquired while <see cref="Outer"/> is held (the attribute's <c>acquired</c>).</summary>
        public ISymbol Inner { get; }

        /// <summary>One class named twice: two instances of it are nested in a fixed order (XL0006), not an edge of the graph.</summary>
        public bool IsInstanceOrder => SymbolEqualityComparer.Default.Equals(Outer, Inner);

        /// <summary>The attribute (one attribute covers several bodies: its lambdas, local functions, accessors).</summary>
        public Location At { get; }
    }
}
