using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// The declared lock order of a compilation: a graph over lock classes (lock fields and
    /// properties) with an edge A → B when A must be acquired before B, from every
    /// <c>[LockOrder(After, Before)]</c>. Queries use the transitive closure. Built once per
    /// compilation; immutable afterwards except for the memoized reachability sets.
    /// </summary>
    internal sealed class LockOrderGraph
    {
        private readonly Dictionary<ISymbol, HashSet<ISymbol>> _successors = new Dictionary<ISymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol> _nodes = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, HashSet<ISymbol>> _reach = new ConcurrentDictionary<ISymbol, HashSet<ISymbol>>(SymbolEqualityComparer.Default);

        public LockOrderGraph(Compilation compilation, KnownSymbols known, TypeIndex types, LockTypeClassifier classifier, CancellationToken ct)
        {
            foreach (var member in types.MembersWithLockOrder)
            {
                var problems = new List<ContractProblem>();
                var attr = KnownSymbols.GetAttribute(member, known.LockOrder);
                if (attr == null)
                {
                    continue;
                }

                foreach (var source in AttributeReader.NamedArray(attr, "After", member, ct))
                {
                    if (ResolveClass(compilation, types, classifier, source, member, problems) is ISymbol before)
                    {
                        AddEdge(before, member.OriginalDefinition);
                    }
                }

                foreach (var source in AttributeReader.NamedArray(attr, "Before", member, ct))
                {
                    if (ResolveClass(compilation, types, classifier, source, member, problems) is ISymbol after)
                    {
                        AddEdge(member.OriginalDefinition, after);
                    }
                }

                if (problems.Count > 0)
                {
                    _problems[member.OriginalDefinition] = problems.ToImmutableArray();
                }
            }

            Cycles = FindCycles();
        }

        private readonly Dictionary<ISymbol, ImmutableArray<ContractProblem>> _problems = new Dictionary<ISymbol, ImmutableArray<ContractProblem>>(SymbolEqualityComparer.Default);

        /// <summary>XL0010 problems in the class names of the <c>[LockOrder]</c> on <paramref name="member"/>.</summary>
        public ImmutableArray<ContractProblem> ProblemsOf(ISymbol member) =>
            _problems.TryGetValue(member.OriginalDefinition, out var p) ? p : ImmutableArray<ContractProblem>.Empty;

        /// <summary>Every cycle of the declared order, each once, as the classes along it (first repeated at the end).</summary>
        public ImmutableArray<ImmutableArray<ISymbol>> Cycles { get; }

        public bool IsEmpty => _successors.Count == 0;

        /// <summary>
        /// True when a <c>[LockOrder]</c> puts <paramref name="lockClass"/> in the declared order (either end
        /// of an edge: on it, or in another class's After/Before).
        /// </summary>
        public bool Mentions(ISymbol lockClass) => _nodes.Contains(lockClass.OriginalDefinition);

        /// <summary>True when the declared order (transitively) puts <paramref name="first"/> before <paramref name="second"/>.</summary>
        public bool MustPrecede(ISymbol first, ISymbol second)
        {
            if (_successors.Count == 0)
            {
                return false;
            }

            var reach = _reach.GetOrAdd(first.OriginalDefinition, Reachable);
            return reach.Contains(second.OriginalDefinition);
        }

        /// <summary>The name of a lock class as <c>[LockOrder]</c> spells it: <c>TypeName.MemberName</c> (<see cref="LockClassName.OfMember"/>).</summary>
        public static string ClassName(ISymbol member) => LockClassName.OfMember(member.ContainingType?.Name ?? string.Empty, member.Name).ToString();

        private void AddEdge(ISymbol from, ISymbol to)
        {
            _nodes.Add(from);
            _nodes.Add(to);
            if (!_successors.TryGetValue(from, out var set))
            {
                _successors[from] = set = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            }

            set.Add(to);
        }

        private IEnumerable<ISymbol> Successors(ISymbol node) =>
            _successors.TryGetValue(node, out var next) ? next : Enumerable.Empty<ISymbol>();

        private HashSet<ISymbol> Reachable(ISymbol start) => ShortestPath.Reachable(start, Successors, SymbolEqualityComparer.Default);

        private ImmutableArray<ImmutableArray<ISymbol>> FindCycles()
        {
            // Each strongly connected component with a cycle is reported once, spelled out as one
            // cycle through its first member (in source order).
            var result = ImmutableArray.CreateBuilder<ImmutableArray<ISymbol>>();
            var roots = _successors.Keys.OrderBy(SourceOrder).ToList();
            foreach (var component in StronglyConnected.Components(roots, Successors, SymbolEqualityComparer.Default))
            {
                var ordered = component.OrderBy(SourceOrder).ToList();
                var start = ordered[0];
                var inComponent = new HashSet<ISymbol>(component, SymbolEqualityComparer.Default);
                if (component.Count == 1 && !(_successors.TryGetValue(start, out var self) && self.Contains(start)))
                {
                    continue;
                }

                result.Add(PathBack(start, inComponent));
            }

            return result.ToImmutable();
        }

        private ImmutableArray<ISymbol> PathBack(ISymbol start, HashSet<ISymbol> component)
        {
            // The shortest way from start back to start inside the component (successors in source order).
            var back = ShortestPath.Find(start, n => SymbolEqualityComparer.Default.Equals(n, start),
                n => Successors(n).Where(component.Contains).OrderBy(SourceOrder), n => n, SymbolEqualityComparer.Default);
            return back == null ? ImmutableArray.Create(start, start) : ImmutableArray.Create(start).AddRange(back);
        }

        private static string SourceOrder(ISymbol s)
        {
            var loc = s.Locations.FirstOrDefault();
            return loc != null && loc.IsInSource
                ? loc.SourceTree!.FilePath + ":" + loc.SourceSpan.Start.ToString("D10")
                : "~" + s.ToDisplayString();
        }

        /// <summary>
        /// Resolves a lock-class name (<c>"TypeName.MemberName"</c>, as <c>[LockOrder]</c> and
        /// <c>[NoLockEdge]</c> spell them, parsed by <see cref="LockClassName"/>) to the member's
        /// original definition, or adds an XL0010 problem. A qualified type name is looked up as a
        /// metadata name first, then by its simple name (a nested type, <c>Outer.Inner</c>).
        /// </summary>
        internal static ISymbol? ResolveClass(Compilation compilation, TypeIndex types, LockTypeClassifier classifier,
            ExpressionSource source, ISymbol owner, List<ContractProblem> problems)
        {
            var text = source.Text ?? string.Empty;
            if (!LockClassName.TryParse(text, out var name, out var error))
            {
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression, source.Locate(error!.Position, error.Length), text, error.Message));
                return null;
            }

            var typeName = name.TypeName;
            var memberName = name.MemberName;
            var dot = typeName.Length;
            var type = types.Find(compilation, typeName, owner.ContainingType);
            if (type == null && name.IsQualified)
            {
                type = types.Find(compilation, name.SimpleTypeName, owner.ContainingType);
            }

            if (type == null)
            {
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression, source.Locate(0, dot), text,
                    $"no type named '{typeName}'"));
                return null;
            }

            var member = PathResolver.FindMember(type, memberName);
            if (member == null)
            {
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression, source.Locate(dot + 1, memberName.Length), text,
                    $"'{memberName}' is not a member of '{type.Name}'"));
                return null;
            }

            var memberType = PathResolver.MemberType(member);
            if (!classifier.Classify(memberType).IsLock())
            {
                problems.Add(new ContractProblem(DiagnosticDescriptors.InvalidLockExpression, source.Locate(dot + 1, memberName.Length), text,
                    $"'{memberName}' is of value type '{memberType?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}' and cannot be a lock"));
                return null;
            }

            return member.OriginalDefinition;
        }
    }
}
