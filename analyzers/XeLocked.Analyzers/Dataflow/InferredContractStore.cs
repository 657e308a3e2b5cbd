using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The contract a call applies and a body is checked against: the declared one, or, for a
    /// contract-less wrapper method, the one inferred from its body (<see cref="WrapperInference"/>)
    /// when the pairing rule accepts it:
    /// <list type="bullet">
    /// <item>an inferred <c>[Acquires]</c>/<c>[TryAcquires]</c> of lock class K needs a partner in the
    /// same type that releases K for its callers: a method with a declared <c>[Releases]</c> of K, or
    /// with an inferred one and a name that pairs with it (<see cref="WrapperNames"/>);</item>
    /// <item>an inferred <c>[Releases]</c> of K needs a partner in the same type that hands K to its
    /// callers: a method with a declared <c>[Acquires]</c> or <c>[TryAcquires]</c> of K, or with an
    /// inferred one and a name that pairs with it;</item>
    /// <item>a wrapper conditional on a field pairs only with one conditional on the same field;</item>
    /// <item>an inferred <c>[Requires]</c> (the body lets the lock go and takes it back) needs no partner.</item>
    /// </list>
    /// Candidates: ordinary, non-virtual methods of this compilation with a body, no lock attribute
    /// (nor <c>[NoLockAnalysis]</c>), outside lock primitives, whose body calls a lock API by name (a
    /// cheap syntactic test that keeps most methods from being bound twice). Computed once per type,
    /// thread-safe; inference reads declared contracts only, so it never waits on itself.
    /// </summary>
    internal sealed class InferredContractStore
    {
        private static readonly HashSet<string> s_lockApiNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "Enter", "TryEnter", "Exit", "EnterScope", "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock",
            "TryEnterReadLock", "TryEnterWriteLock", "TryEnterUpgradeableReadLock", "ExitReadLock", "ExitWriteLock",
            "ExitUpgradeableReadLock", "Wait", "WaitAsync", "Release",
        };

        private readonly CompilationModel _model;
        private readonly ConcurrentDictionary<ISymbol, bool> _candidates = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<ISymbol, Lazy<Dictionary<ISymbol, MethodContract>>> _types =
            new ConcurrentDictionary<ISymbol, Lazy<Dictionary<ISymbol, MethodContract>>>(SymbolEqualityComparer.Default);

        private readonly Lazy<HashSet<string>> _contractMethodNames;

        public InferredContractStore(CompilationModel model)
        {
            _model = model;
            _contractMethodNames = new Lazy<HashSet<string>>(ContractMethodNames, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        /// <summary>The declared contract of <paramref name="method"/>, or its inferred one when it declares none.</summary>
        public MethodContract Effective(IMethodSymbol method, CancellationToken ct = default)
        {
            var declared = _model.Contracts.GetMethod(method, ct);
            if (declared.AffectsCallers || declared.SkipBody || !IsCandidate(method.OriginalDefinition))
            {
                return declared;
            }

            var key = method.OriginalDefinition;
            var type = key.ContainingType;
            var inferred = _types.GetOrAdd(type, t => new Lazy<Dictionary<ISymbol, MethodContract>>(() => InferTypeGuarded((INamedTypeSymbol)t),
                LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            return inferred.TryGetValue(key, out var contract) ? contract : declared;
        }

        private bool IsCandidate(IMethodSymbol method) => _candidates.GetOrAdd(method, m => ComputeIsCandidate((IMethodSymbol)m));

        private bool ComputeIsCandidate(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsExtern ||
                method.IsImplicitlyDeclared || method.DeclaringSyntaxReferences.Length != 1 || method.ContainingType == null ||
                IsLockImplementation(method.ContainingType))
            {
                return false;
            }

            var declared = _model.Contracts.GetMethod(method);
            if (declared.AffectsCallers || declared.SkipBody)
            {
                return false;
            }

            if (!(method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax syntax) || (syntax.Body == null && syntax.ExpressionBody == null))
            {
                return false;
            }

            foreach (var node in syntax.DescendantNodes())
            {
                if (node is YieldStatementSyntax)
                {
                    return false;
                }

                if (node is InvocationExpressionSyntax invocation && Name(invocation.Expression) is string name &&
                    (s_lockApiNames.Contains(name) || _contractMethodNames.Value.Contains(name)))
                {
                    return true;
                }
            }

            return false;
        }

        private static string? Name(ExpressionSyntax expression) => expression switch
        {
            MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
            IdentifierNameSyntax i => i.Identifier.ValueText,
            GenericNameSyntax g => g.Identifier.ValueText,
            MemberBindingExpressionSyntax b => b.Name.Identifier.ValueText,
            _ => null,
        };

        private bool IsLockImplementation(INamedTypeSymbol type)
        {
            for (var t = type; t != null; t = t.ContainingType)
            {
                if (_model.Classifier.PrimitiveKind(t) != LockFlavor.None || KnownSymbols.HasAttribute(t, _model.Known.ScopedLock))
                {
                    return true;
                }
            }

            return false;
        }

        private Dictionary<ISymbol, MethodContract> InferTypeGuarded(INamedTypeSymbol type)
        {
            try
            {
                return InferType(type);
            }
            catch (Exception) when (!AnalyzerGuard.Rethrow)
            {
                // An unexpected shape: no inferred contract in this type (a cached exception would fail every caller's body).
                return new Dictionary<ISymbol, MethodContract>(SymbolEqualityComparer.Default);
            }
        }

        /// <summary>Infers every candidate of <paramref name="type"/>, then keeps what the pairing rule accepts.</summary>
        private Dictionary<ISymbol, MethodContract> InferType(INamedTypeSymbol type)
        {
            var raw = new List<(IMethodSymbol Method, InferredWrapper Wrapper)>();
            var declaredReleasers = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var declaredAcquirers = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                var declared = _model.Contracts.GetMethod(method);
                foreach (var f in declared.Releases)
                {
                    AddClass(declaredReleasers, f.Path);
                }

                foreach (var f in declared.Acquires.Concat(declared.TryAcquires.Select(t => t.Factor)))
                {
                    AddClass(declaredAcquirers, f.Path);
                }

                if (IsCandidate(method) && Infer(method) is InferredWrapper wrapper)
                {
                    raw.Add((method, wrapper));
                }
            }

            var result = new Dictionary<ISymbol, MethodContract>(SymbolEqualityComparer.Default);
            foreach (var (method, wrapper) in raw)
            {
                var paired = wrapper.Kind switch
                {
                    WrapperKind.Acquires or WrapperKind.TryAcquires =>
                        (wrapper.Condition == null && declaredReleasers.Contains(wrapper.LockClass)) ||
                        raw.Any(other => other.Wrapper.Kind == WrapperKind.Releases && Partners(wrapper, other.Wrapper) &&
                                         WrapperNames.ArePair(method.Name, other.Method.Name)),
                    WrapperKind.Releases =>
                        (wrapper.Condition == null && declaredAcquirers.Contains(wrapper.LockClass)) ||
                        raw.Any(other => (other.Wrapper.Kind == WrapperKind.Acquires || other.Wrapper.Kind == WrapperKind.TryAcquires) &&
                                         Partners(wrapper, other.Wrapper) && WrapperNames.ArePair(other.Method.Name, method.Name)),
                    _ => true,
                };
                if (paired)
                {
                    result[method.OriginalDefinition] = wrapper.Contract;
                }
            }

            return result;
        }

        /// <summary>The same lock class, and the same field condition (or none).</summary>
        private static bool Partners(InferredWrapper a, InferredWrapper b) =>
            SymbolEqualityComparer.Default.Equals(a.LockClass, b.LockClass) && SymbolEqualityComparer.Default.Equals(a.Condition, b.Condition);

        private static void AddClass(HashSet<ISymbol> classes, AccessPath path)
        {
            if (path.LastMember is ISymbol member)
            {
                classes.Add(member.OriginalDefinition);
            }
        }

        private InferredWrapper? Infer(IMethodSymbol method)
        {
            try
            {
                var syntax = method.DeclaringSyntaxReferences[0].GetSyntax();
                var semanticModel = _model.Compilation.GetSemanticModel(syntax.SyntaxTree);
                ControlFlowGraph? cfg = semanticModel.GetOperation(syntax) switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body),
                    _ => null,
                };
                return cfg == null ? null : WrapperInference.Infer(_model, method, cfg, semanticModel);
            }
            catch (Exception) when (!AnalyzerGuard.Rethrow)
            {
                return null; // an unexpected shape: no inferred contract, never a crash
            }
        }

        /// <summary>The names of this compilation's methods that declare an acquisition or release (user lock primitives).</summary>
        private HashSet<string> ContractMethodNames()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<INamespaceOrTypeSymbol>();
            stack.Push(_model.Compilation.Assembly.GlobalNamespace);
            var known = _model.Known;
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                foreach (var member in current.GetMembers())
                {
                    if (member is INamespaceOrTypeSymbol nested)
                    {
                        stack.Push(nested);
                    }
                    else if (member is IMethodSymbol m && !names.Contains(m.Name) &&
                             m.GetAttributes().Any(a => KnownSymbols.Is(a, known.Acquires) || KnownSymbols.Is(a, known.Releases) || KnownSymbols.Is(a, known.TryAcquires)))
                    {
                        names.Add(m.Name);
                    }
                }
            }

            return names;
        }
    }
}
