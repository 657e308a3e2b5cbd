using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>
    /// Symbol → resolved contract, computed once per symbol and compilation. Thread-safe: the
    /// analyzers run concurrently and ask for the same callees.
    /// </summary>
    internal sealed class ContractStore
    {
        private readonly ConcurrentDictionary<ISymbol, MethodContract> _methods =
            new ConcurrentDictionary<ISymbol, MethodContract>(SymbolEqualityComparer.Default);

        private readonly ConcurrentDictionary<ISymbol, GuardContract?> _guards =
            new ConcurrentDictionary<ISymbol, GuardContract?>(SymbolEqualityComparer.Default);

        private readonly KnownSymbols _known;
        private readonly ExpressionResolver _resolver;

        public ContractStore(KnownSymbols known, ExpressionResolver resolver)
        {
            _known = known;
            _resolver = resolver;
        }

        /// <summary>The contract of <paramref name="method"/> (its original definition).</summary>
        public MethodContract GetMethod(IMethodSymbol method, CancellationToken ct = default)
        {
            var key = method.OriginalDefinition;
            if (_methods.TryGetValue(key, out var contract))
            {
                return contract;
            }

            return _methods.GetOrAdd(key, BuildMethod(key, ct));
        }

        /// <summary>The guard of a field or property, or null when it has no <c>[GuardedBy]</c>.</summary>
        public GuardContract? GetGuard(ISymbol member, CancellationToken ct = default)
        {
            var key = member.OriginalDefinition;
            if (_guards.TryGetValue(key, out var guard))
            {
                return guard;
            }

            return _guards.GetOrAdd(key, BuildGuard(key, ct));
        }

        private GuardContract? BuildGuard(ISymbol member, CancellationToken ct)
        {
            var attr = KnownSymbols.GetAttribute(member, _known.GuardedBy);
            if (attr == null)
            {
                return null;
            }

            var problems = new List<ContractProblem>();
            var main = _resolver.Resolve(AttributeReader.Positional(attr, 0, member, ct), member, ExpressionUse.Guard, "GuardedBy", true, problems);
            var read = main;
            var write = WriteRequirement.From(main);
            if (AttributeReader.Named(attr, "Read", member, ct) is ExpressionSource r)
            {
                read = _resolver.Resolve(r, member, ExpressionUse.Guard, "GuardedBy", true, problems);
            }

            if (AttributeReader.Named(attr, "Write", member, ct) is ExpressionSource w)
            {
                write = _resolver.Resolve(w, member, ExpressionUse.Guard, "GuardedBy", true, problems);
            }

            var lockless = (LocklessAccess)AttributeReader.NamedInt(attr, "Lockless") & (LocklessAccess.Reads | LocklessAccess.Atomics);
            return new GuardContract(read, write, problems.ToImmutableArray(), lockless);
        }

        private MethodContract BuildMethod(IMethodSymbol method, CancellationToken ct)
        {
            var problems = new List<ContractProblem>();
            var requires = ImmutableArray.CreateBuilder<ResolvedExpression>();
            var acquires = ImmutableArray.CreateBuilder<ResolvedFactor>();
            var releases = ImmutableArray.CreateBuilder<ResolvedFactor>();
            var tries = ImmutableArray.CreateBuilder<TryAcquireFactor>();
            var excludes = ImmutableArray.CreateBuilder<ResolvedFactor>();
            var asserts = ImmutableArray.CreateBuilder<ResolvedFactor>();
            var disjunctions = ImmutableArray.CreateBuilder<ResolvedExpression>();
            var skip = KnownSymbols.HasAttribute(method, _known.NoLockAnalysis);

            // An override without lock attributes of its own inherits those of the method it
            // overrides (resolved against the override's own parameters, which have the same names).
            var declaring = method;
            while (!HasLockAttributes(declaring) && declaring.OverriddenMethod is IMethodSymbol overridden)
            {
                declaring = overridden.OriginalDefinition;
            }

            var sources = new List<(AttributeData Attribute, ISymbol Owner)>();
            foreach (var a in declaring.GetAttributes())
            {
                sources.Add((a, declaring));
            }

            if (method.AssociatedSymbol is IPropertySymbol property)
            {
                foreach (var a in property.GetAttributes())
                {
                    if (KnownSymbols.Is(a, _known.Requires))
                    {
                        // Property-level [Requires] applies to both accessors; its problems are reported on the property.
                        var source = AttributeReader.Positional(a, 0, property, ct);
                        var e = _resolver.Resolve(source, method, ExpressionUse.NeedsMode, "Requires", true, new List<ContractProblem>());
                        if (e != null)
                        {
                            requires.Add(e);
                        }
                    }
                    else if (KnownSymbols.Is(a, _known.NoLockAnalysis))
                    {
                        skip = true;
                    }
                }
            }

            foreach (var (a, owner) in sources)
            {
                if (KnownSymbols.Is(a, _known.Requires))
                {
                    var e = _resolver.Resolve(AttributeReader.Positional(a, 0, owner, ct), method, ExpressionUse.NeedsMode, "Requires", true, problems);
                    if (e != null)
                    {
                        requires.Add(e);
                    }
                }
                else if (KnownSymbols.Is(a, _known.Acquires))
                {
                    AddFactors(acquires, _resolver.Resolve(AttributeReader.Positional(a, 0, owner, ct), method, ExpressionUse.NeedsMode, "Acquires", false, problems));
                }
                else if (KnownSymbols.Is(a, _known.Releases))
                {
                    AddFactors(releases, _resolver.Resolve(AttributeReader.Positional(a, 0, owner, ct), method, ExpressionUse.Releases, "Releases", false, problems));
                }
                else if (KnownSymbols.Is(a, _known.Excludes))
                {
                    AddFactors(excludes, _resolver.Resolve(AttributeReader.Positional(a, 0, owner, ct), method, ExpressionUse.Excludes, "Excludes", false, problems));
                }
                else if (KnownSymbols.Is(a, _known.AssertsHeld))
                {
                    var e = _resolver.Resolve(AttributeReader.Positional(a, 0, owner, ct), method, ExpressionUse.NeedsMode, "AssertsHeld", true, problems);
                    if (e != null && e.Alternatives.Length > 1)
                    {
                        disjunctions.Add(e);
                    }
                    else
                    {
                        AddFactors(asserts, e);
                    }
                }
                else if (KnownSymbols.Is(a, _known.TryAcquires))
                {
                    var success = a.ConstructorArguments.Length > 0 && a.ConstructorArguments[0].Value is bool b && b;
                    var e = _resolver.Resolve(AttributeReader.Positional(a, 1, owner, ct), method, ExpressionUse.NeedsMode, "TryAcquires", false, problems);
                    if (e != null)
                    {
                        foreach (var f in e.Alternatives[0])
                        {
                            tries.Add(new TryAcquireFactor(success, f));
                        }
                    }
                }
            }

            var inherited = !SymbolEqualityComparer.Default.Equals(declaring, method); // problems are reported on the declaring method
            return new MethodContract(requires.ToImmutable(), acquires.ToImmutable(), releases.ToImmutable(), tries.ToImmutable(),
                excludes.ToImmutable(), asserts.ToImmutable(), skip, inherited ? ImmutableArray<ContractProblem>.Empty : problems.ToImmutableArray(),
                disjunctions.ToImmutable());
        }

        private bool HasLockAttributes(IMethodSymbol method)
        {
            foreach (var a in method.GetAttributes())
            {
                if (KnownSymbols.Is(a, _known.Requires) || KnownSymbols.Is(a, _known.Acquires) || KnownSymbols.Is(a, _known.Releases) ||
                    KnownSymbols.Is(a, _known.TryAcquires) || KnownSymbols.Is(a, _known.Excludes) || KnownSymbols.Is(a, _known.AssertsHeld))
                {
                    return true;
                }
            }

            return false;
        }

        private static void AddFactors(ImmutableArray<ResolvedFactor>.Builder target, ResolvedExpression? e)
        {
            if (e != null)
            {
                target.AddRange(e.Alternatives[0]);
            }
        }
    }
}
