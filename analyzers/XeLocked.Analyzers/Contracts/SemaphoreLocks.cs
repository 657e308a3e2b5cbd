using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// Decides which <c>System.Threading.SemaphoreSlim</c> instances are locks the analysis tracks.
    /// A semaphore is a lock when it is binary by construction (<see cref="SemaphoreInitializers"/>:
    /// every value its declaring type assigns to the field or property is <c>new SemaphoreSlim(1)</c>
    /// or <c>new SemaphoreSlim(1, 1)</c>) or when an annotation names it (a <c>[GuardedBy]</c>, a
    /// method contract or a <c>[LockOrder]</c>: the user said it is a lock). A parameter is a lock
    /// in the method whose own contract names it. Anything else (a counting semaphore, one used as a
    /// signal, one whose count comes from elsewhere, a local) is not: its <c>Wait</c>/<c>Release</c>
    /// calls have no lock effect. Thread-safe; decisions are cached per member.
    /// </summary>
    internal sealed class SemaphoreLocks
    {
        private readonly Compilation _compilation;
        private readonly KnownSymbols _known;
        private readonly ContractStore _contracts;
        private readonly System.Lazy<TypeIndex> _types;
        private readonly System.Lazy<LockOrderGraph> _order;
        private readonly ConcurrentDictionary<ISymbol, bool> _members = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly System.Lazy<HashSet<ISymbol>> _named;

        /// <param name="compilation">the compilation whose semaphores are decided</param>
        /// <param name="known">its known symbols</param>
        /// <param name="contracts">its contracts (a parameter is a lock when its method's contract names it)</param>
        /// <param name="types">its type index (built on first use)</param>
        /// <param name="order">its declared lock order (built on first use)</param>
        public SemaphoreLocks(Compilation compilation, KnownSymbols known, ContractStore contracts,
            System.Lazy<TypeIndex> types, System.Lazy<LockOrderGraph> order)
        {
            _compilation = compilation;
            _known = known;
            _contracts = contracts;
            _types = types;
            _order = order;
            _named = new System.Lazy<HashSet<ISymbol>>(CollectNamed, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>True when the semaphore <paramref name="path"/> names is a lock (see the type's summary).</summary>
        public bool IsLock(AccessPath path)
        {
            switch (path.LastMember)
            {
                case IFieldSymbol _:
                case IPropertySymbol _:
                    var member = path.LastMember.OriginalDefinition;
                    return _members.GetOrAdd(member, m => SemaphoreInitializers.IsBinary(m) || _named.Value.Contains(m));
                case null when path.Kind == PathRootKind.Parameter && path.Root is IParameterSymbol parameter:
                    return parameter.ContainingSymbol is IMethodSymbol method && NamesParameter(_contracts.GetMethod(method), parameter);
                default:
                    return false;
            }
        }

        private static bool NamesParameter(MethodContract contract, IParameterSymbol parameter)
        {
            foreach (var f in Factors(contract))
            {
                if (f.Path.Kind == PathRootKind.Parameter && f.Path.Members.IsEmpty &&
                    SymbolEqualityComparer.Default.Equals(f.Path.Root, parameter.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Every SemaphoreSlim field or property some annotation of the compilation names.</summary>
        private HashSet<ISymbol> CollectNamed()
        {
            var named = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var order = _order.Value;
            foreach (var member in _types.Value.MembersWithLockOrder)
            {
                named.Add(member.OriginalDefinition);
            }

            var stack = new Stack<INamespaceOrTypeSymbol>();
            stack.Push(_compilation.Assembly.GlobalNamespace);
            while (stack.Count > 0)
            {
                foreach (var member in stack.Pop().GetMembers())
                {
                    switch (member)
                    {
                        case INamespaceOrTypeSymbol container:
                            stack.Push(container);
                            break;
                        case IFieldSymbol _:
                        case IPropertySymbol _:
                            if (IsSemaphore(PathResolver.MemberType(member)) && order.Mentions(member))
                            {
                                named.Add(member.OriginalDefinition);
                            }

                            if (_contracts.GetGuard(member) is GuardContract guard)
                            {
                                AddAll(named, guard.Read);
                                AddAll(named, guard.Write);
                            }

                            break;
                        case IMethodSymbol method when !method.GetAttributes().IsEmpty:
                            foreach (var f in Factors(_contracts.GetMethod(method)))
                            {
                                Add(named, f);
                            }

                            break;
                    }
                }
            }

            return named;
        }

        private bool IsSemaphore(ITypeSymbol? type) =>
            type != null && SymbolEqualityComparer.Default.Equals(type, _known.SemaphoreSlim);

        private void AddAll(HashSet<ISymbol> named, ResolvedExpression? expression)
        {
            if (expression != null)
            {
                foreach (var f in expression.AllFactors)
                {
                    Add(named, f);
                }
            }
        }

        private void Add(HashSet<ISymbol> named, ResolvedFactor factor)
        {
            if (factor.Path.LastMember is ISymbol last && IsSemaphore(PathResolver.MemberType(last)))
            {
                named.Add(last.OriginalDefinition);
            }
        }

        private static IEnumerable<ResolvedFactor> Factors(MethodContract contract)
        {
            foreach (var r in contract.Requires)
            {
                foreach (var f in r.AllFactors)
                {
                    yield return f;
                }
            }

            foreach (var f in contract.Acquires)
            {
                yield return f;
            }

            foreach (var f in contract.Releases)
            {
                yield return f;
            }

            foreach (var t in contract.TryAcquires)
            {
                yield return t.Factor;
            }

            foreach (var f in contract.Excludes)
            {
                yield return f;
            }

            foreach (var f in contract.AssertsHeld)
            {
                yield return f;
            }

            foreach (var d in contract.AssertedDisjunctions)
            {
                foreach (var f in d.AllFactors)
                {
                    yield return f;
                }
            }
        }
    }
}
