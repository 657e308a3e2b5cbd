using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// The compilation-wide facts the ownership rules need, computed on demand and cached: whether a
    /// method lets <c>this</c> escape, whether it is a factory (returns only fresh objects), whether a
    /// method is called only on objects its callers own, and whether a lock member is private to the
    /// object that holds it. Each fact reads the bodies of other methods (their
    /// <see cref="OwnershipFlow"/>, built from their own control-flow graph). Recursion is answered
    /// pessimistically: a method that reaches itself again while its fact is being computed escapes,
    /// is not a factory and is not called only on owned objects. Thread-safe (one lock; the facts are
    /// small and computed once).
    /// </summary>
    internal sealed class OwnershipIndex
    {
        private readonly Compilation _compilation;
        private readonly INamedTypeSymbol? _monitor;
        private readonly object _gate = new object();
        private readonly Dictionary<SyntaxTree, SemanticModel> _models = new Dictionary<SyntaxTree, SemanticModel>();
        private readonly Dictionary<IMethodSymbol, OwnershipFlow?>[] _flows =
        {
            new Dictionary<IMethodSymbol, OwnershipFlow?>(SymbolEqualityComparer.Default),
            new Dictionary<IMethodSymbol, OwnershipFlow?>(SymbolEqualityComparer.Default),
        };

        private readonly Dictionary<ISymbol, bool> _escapes = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, bool> _factories = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, bool> _ownedOnly = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, bool> _privateLocks = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        private readonly HashSet<ISymbol>[] _inProgress = Enumerable.Range(0, 6).Select(_ => new HashSet<ISymbol>(SymbolEqualityComparer.Default)).ToArray();
        private NameIndex? _names;

        public OwnershipIndex(Compilation compilation, INamedTypeSymbol? monitor)
        {
            _compilation = compilation;
            _monitor = monitor;
            Constructed = new ConstructedGraphs(compilation);
        }

        /// <summary>The operation of <paramref name="node"/> in the compilation's semantic model (for an operation of a control-flow graph, which has none).</summary>
        public IOperation? OperationOf(SyntaxNode node)
        {
            lock (_gate)
            {
                return Model(node.SyntaxTree).GetOperation(node);
            }
        }

        /// <summary>What the construction of an object leaves in its members (for calls on a new object).</summary>
        public ConstructedGraphs Constructed { get; }

        /// <summary><paramref name="type"/> is <c>System.Threading.Monitor</c>.</summary>
        public bool IsMonitor(INamedTypeSymbol? type) => _monitor != null && SymbolEqualityComparer.Default.Equals(type, _monitor);

        /// <summary>
        /// <paramref name="value"/> is a fresh object: <c>new T(…)</c> of a class whose constructor
        /// (with the constructors it chains to) keeps <c>this</c> private, or a call to a factory.
        /// </summary>
        public bool IsFreshValue(IOperation value)
        {
            switch (KnownLockApis.UnwrapConversions(value))
            {
                case IObjectCreationOperation creation when creation.Constructor != null && creation.Type?.IsReferenceType == true:
                    return !ThisEscapes(creation.Constructor);
                case IInvocationOperation call:
                    return IsFactory(call.TargetMethod);
                default:
                    return false;
            }
        }

        /// <summary>
        /// A call of <paramref name="method"/> (an accessor of <paramref name="property"/>, when given) on a
        /// receiver of static type <paramref name="receiverType"/> keeps the receiver private: the method
        /// that runs is known (not overridable, or the receiver's type is sealed) and is a method of
        /// <c>System.Object</c>, an accessor of an auto-property, or a method of this compilation that
        /// does not let <c>this</c> escape. A missing accessor keeps it private.
        /// </summary>
        public bool CallKeepsReceiver(IMethodSymbol? method, ITypeSymbol? receiverType, IPropertySymbol? property)
        {
            if (method == null)
            {
                return true;
            }

            var target = Resolve(method, receiverType);
            if (target == null)
            {
                return false;
            }

            if (target.ContainingType?.SpecialType == SpecialType.System_Object ||
                (target.AssociatedSymbol is IPropertySymbol auto && IsAutoProperty(auto)) ||
                (property != null && !IsOverridable(target) && IsAutoProperty(property)))
            {
                return true;
            }

            return !ThisEscapes(target);
        }

        /// <summary>
        /// <paramref name="method"/> may let <c>this</c> reach another thread: its body publishes
        /// <c>this</c> or captures it, or it calls a method on <c>this</c> that does; a constructor also
        /// through the constructor it chains to. Methods without a body in this compilation escape,
        /// except the constructor of <c>System.Object</c>.
        /// </summary>
        public bool ThisEscapes(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            lock (_gate)
            {
                return Memo(_escapes, _inProgress[0], method, pessimistic: true, () => ComputeThisEscapes(method));
            }
        }

        /// <summary>
        /// <paramref name="method"/> is a factory: a method of this compilation, not overridable, not
        /// <c>async</c>, returning a class or interface type, whose every <c>return</c> gives a fresh
        /// object it owns there (<c>new</c>, another factory's result, or a local it still owns).
        /// </summary>
        public bool IsFactory(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (method.DeclaringSyntaxReferences.IsEmpty || method.IsAsync || method.ReturnsVoid || method.ReturnsByRef ||
                method.ReturnsByRefReadonly || method.ReturnType.IsReferenceType != true || IsOverridable(method) ||
                (method.MethodKind != MethodKind.Ordinary && method.MethodKind != MethodKind.PropertyGet))
            {
                return false;
            }

            lock (_gate)
            {
                return Memo(_factories, _inProgress[1], method, pessimistic: false, () => FlowOf(method, thisOwned: false)?.ReturnsOnlyFresh == true);
            }
        }

        /// <summary>
        /// <paramref name="method"/> (an instance method, not overridable, whose effective
        /// accessibility — its own and its containing types', <see cref="EffectiveAccessibility"/> — is
        /// private or internal, and not internal when the assembly declares <c>InternalsVisibleTo</c>;
        /// not one that a type of the compilation maps an interface member to) is called somewhere, and every reference to it in the compilation is a call, outside
        /// lambdas and local functions, whose receiver its caller owns at the call: a fresh local, or
        /// <c>this</c> in a constructor or in another such method.
        /// </summary>
        public bool IsCalledOnlyOnOwned(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (method.IsStatic || method.MethodKind != MethodKind.Ordinary || IsOverridable(method) || method.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            var access = EffectiveAccessibility.Of(method);
            if (access != Accessibility.Private && access != Accessibility.Internal)
            {
                return false;
            }

            lock (_gate)
            {
                if ((access != Accessibility.Private && HasFriends()) || MayImplementInterface(method))
                {
                    return false;
                }

                return Memo(_ownedOnly, _inProgress[2], method, pessimistic: false, () => ComputeCalledOnlyOnOwned(method));
            }
        }

        /// <summary>
        /// <paramref name="member"/> (an instance field or property holding a lock) always holds an object
        /// private to its container: a field or auto-property of a class type, initialized with <c>new</c>
        /// (in its initializer or by its type's constructors), and every reference to it in the
        /// compilation only locks it (<c>lock</c>, <c>Monitor.*</c>, a call or member access on it) or,
        /// in a constructor of its type, assigns it a <c>new</c> object. A lock object handed anywhere
        /// else, or replaced by another, may be shared. (Code outside the compilation can only reach
        /// objects that were published, so it does not matter whether the member is public.)
        /// </summary>
        public bool IsPrivateLockMember(ISymbol member)
        {
            member = member.OriginalDefinition;
            if (member.IsStatic || member.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            lock (_gate)
            {
                return Memo(_privateLocks, _inProgress[3], member, pessimistic: false, () => ComputePrivateLockMember(member));
            }
        }

        /// <summary>The ownership flow of a method of this compilation (its own body), or null when it has none here.</summary>
        public OwnershipFlow? FlowOf(IMethodSymbol method, bool thisOwned)
        {
            method = method.OriginalDefinition;
            lock (_gate)
            {
                var cache = _flows[thisOwned ? 1 : 0];
                if (cache.TryGetValue(method, out var known))
                {
                    return known;
                }

                var inProgress = _inProgress[thisOwned ? 5 : 4];
                if (!inProgress.Add(method))
                {
                    return null;
                }

                try
                {
                    var flow = ComputeFlow(method, thisOwned);
                    cache[method] = flow;
                    return flow;
                }
                finally
                {
                    inProgress.Remove(method);
                }
            }
        }

        /// <summary>The cached fact, or computes it; <paramref name="pessimistic"/> while it is being computed (recursion).</summary>
        private static bool Memo(Dictionary<ISymbol, bool> cache, HashSet<ISymbol> inProgress, ISymbol symbol, bool pessimistic, System.Func<bool> compute)
        {
            if (cache.TryGetValue(symbol, out var known))
            {
                return known;
            }

            if (!inProgress.Add(symbol))
            {
                return pessimistic;
            }

            try
            {
                var result = compute();
                cache[symbol] = result;
                return result;
            }
            finally
            {
                inProgress.Remove(symbol);
            }
        }

        private bool ComputeThisEscapes(IMethodSymbol method)
        {
            if (method.MethodKind == MethodKind.Constructor && method.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                return false;
            }

            if (method.MethodKind == MethodKind.Constructor && method.IsImplicitlyDeclared)
            {
                return BaseConstructorEscapes(method.ContainingType);
            }

            var flow = FlowOf(method, thisOwned: true);
            if (flow == null || flow.ThisEscapes)
            {
                return true;
            }

            // A constructor without `: base(…)`/`: this(…)` runs the base type's parameterless constructor first.
            if (method.MethodKind == MethodKind.Constructor &&
                method.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax c && c.Initializer == null))
            {
                return BaseConstructorEscapes(method.ContainingType);
            }

            return false;
        }

        private bool BaseConstructorEscapes(INamedTypeSymbol? type)
        {
            if (type == null || type.TypeKind != TypeKind.Class)
            {
                return type?.TypeKind != TypeKind.Struct;
            }

            var baseType = type.BaseType;
            if (baseType == null)
            {
                return false;
            }

            var constructor = baseType.InstanceConstructors.FirstOrDefault(c => c.Parameters.All(p => p.IsOptional || p.IsParams));
            return constructor == null || ThisEscapes(constructor);
        }

        private bool ComputeCalledOnlyOnOwned(IMethodSymbol method)
        {
            var called = false;
            foreach (var name in Names.Uses(method.Name))
            {
                var model = Model(name.SyntaxTree);
                var info = model.GetSymbolInfo(name);
                if (!Refers(info.Symbol, method) && !info.CandidateSymbols.Any(c => Refers(c, method)))
                {
                    continue;
                }

                if (!IsOwnedReceiverCall(name, model))
                {
                    return false;
                }

                called = true;
            }

            return called;
        }

        /// <summary>The name is the callee of a call, in a method body, whose receiver the caller owns at the call.</summary>
        private bool IsOwnedReceiverCall(SimpleNameSyntax name, SemanticModel model)
        {
            SyntaxNode callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            if (!(callee.Parent is InvocationExpressionSyntax invocation) || invocation.Expression != callee ||
                !(model.GetOperation(invocation) is IInvocationOperation call))
            {
                return false;
            }

            for (var op = call.Parent; op != null; op = op.Parent)
            {
                if (op is IAnonymousFunctionOperation || op is ILocalFunctionOperation)
                {
                    return false;
                }
            }

            if (!(model.GetEnclosingSymbol(invocation.SpanStart) is IMethodSymbol caller) ||
                caller.MethodKind == MethodKind.AnonymousFunction || caller.MethodKind == MethodKind.LocalFunction)
            {
                return false;
            }

            var thisOwned = !caller.IsStatic && (caller.MethodKind == MethodKind.Constructor || IsCalledOnlyOnOwned(caller));
            return FlowOf(caller, thisOwned)?.IsReceiverOwned(invocation) == true;
        }

        private bool ComputePrivateLockMember(ISymbol member)
        {
            bool freshInitializer;
            switch (member)
            {
                case IFieldSymbol field when !field.IsConst && field.Type.IsReferenceType:
                    freshInitializer = field.DeclaringSyntaxReferences.Any(r =>
                        r.GetSyntax() is VariableDeclaratorSyntax v && v.Initializer?.Value is BaseObjectCreationExpressionSyntax);
                    break;
                case IPropertySymbol property when property.Type.IsReferenceType && IsAutoProperty(property):
                    freshInitializer = property.DeclaringSyntaxReferences.Any(r =>
                        r.GetSyntax() is PropertyDeclarationSyntax p && p.Initializer?.Value is BaseObjectCreationExpressionSyntax);
                    break;
                default:
                    return false;
            }

            var assignedFresh = false;
            foreach (var name in Names.Uses(member.Name))
            {
                var model = Model(name.SyntaxTree);
                var info = model.GetSymbolInfo(name);
                if (info.CandidateSymbols.Any(c => SymbolEqualityComparer.Default.Equals(c.OriginalDefinition, member)))
                {
                    return false;
                }

                if (!SymbolEqualityComparer.Default.Equals(info.Symbol?.OriginalDefinition, member))
                {
                    continue;
                }

                SyntaxNode expression = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                var op = model.GetOperation(expression);
                if (op == null)
                {
                    return false;
                }

                while (op.Parent is IConversionOperation conversion && conversion.OperatorMethod == null)
                {
                    op = conversion;
                }

                switch (op.Parent)
                {
                    case ILockOperation l when l.LockedValue == op:
                    case IInvocationOperation i when i.Instance == op:
                    case IFieldReferenceOperation f when f.Instance == op:
                    case IPropertyReferenceOperation p when p.Instance == op:
                        continue;
                    case IArgumentOperation a when a.Value == op && a.Parent is IInvocationOperation target && IsMonitor(target.TargetMethod.ContainingType):
                        continue;
                    case ISimpleAssignmentOperation s when s.Target == op && KnownLockApis.UnwrapConversions(s.Value) is IObjectCreationOperation &&
                        model.GetEnclosingSymbol(name.SpanStart) is IMethodSymbol { MethodKind: MethodKind.Constructor } constructor &&
                        SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, member.ContainingType):
                        assignedFresh = true;
                        continue;
                    default:
                        return false;
                }
            }

            return freshInitializer || assignedFresh;
        }

        private OwnershipFlow? ComputeFlow(IMethodSymbol method, bool thisOwned)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                var node = reference.GetSyntax();
                if (!HasBody(node))
                {
                    continue;
                }

                ControlFlowGraph? cfg = Model(node.SyntaxTree).GetOperation(node) switch
                {
                    IMethodBodyOperation body => ControlFlowGraph.Create(body),
                    IConstructorBodyOperation body => ControlFlowGraph.Create(body),
                    IBlockOperation block when block.Parent == null => ControlFlowGraph.Create(block),
                    _ => null,
                };
                if (cfg != null)
                {
                    return new OwnershipFlow(cfg, new PathBuilder(cfg, null), this, thisOwned && !method.IsStatic);
                }
            }

            return null;
        }

        private static bool HasBody(SyntaxNode node) => node switch
        {
            BaseMethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
            AccessorDeclarationSyntax a => a.Body != null || a.ExpressionBody != null,
            ArrowExpressionClauseSyntax => true,
            _ => false,
        };

        /// <summary>The method that runs for a call of <paramref name="method"/> on a receiver of static type <paramref name="receiverType"/>, when it is known.</summary>
        private static IMethodSymbol? Resolve(IMethodSymbol method, ITypeSymbol? receiverType)
        {
            if (method.IsStatic)
            {
                return null;
            }

            var type = receiverType as INamedTypeSymbol;
            if (method.ContainingType?.TypeKind == TypeKind.Interface)
            {
                if (type == null || !(type.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation))
                {
                    return null;
                }

                method = implementation;
            }

            if (!IsOverridable(method))
            {
                return method;
            }

            if (type == null || !type.IsSealed)
            {
                return null;
            }

            for (var t = type; t != null; t = t.BaseType)
            {
                foreach (var candidate in t.GetMembers(method.Name).OfType<IMethodSymbol>())
                {
                    for (var m = candidate; m != null; m = m.OverriddenMethod)
                    {
                        if (SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method.OriginalDefinition))
                        {
                            return candidate;
                        }
                    }
                }
            }

            return method;
        }

        private static bool IsOverridable(IMethodSymbol method) =>
            (method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed && method.ContainingType?.IsSealed != true;

        private static bool IsAutoProperty(IPropertySymbol property) =>
            !property.IsAbstract && !property.IsExtern && property.DeclaringSyntaxReferences.Length > 0 &&
            property.DeclaringSyntaxReferences.All(r => r.GetSyntax() is PropertyDeclarationSyntax p && p.AccessorList != null &&
                p.AccessorList.Accessors.All(a => a.Body == null && a.ExpressionBody == null));

        private static bool Refers(ISymbol? symbol, IMethodSymbol method) =>
            symbol is IMethodSymbol m && SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method);

        /// <summary>
        /// An accessible enough method may be called through an interface (a call that does not name it):
        /// its type, or a type of the compilation derived from it, maps an interface member to it.
        /// Private and internal methods cannot implement an interface member implicitly.
        /// </summary>
        private bool MayImplementInterface(IMethodSymbol method)
        {
            if (method.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }

            var pending = new Stack<INamedTypeSymbol>();
            var seen = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            pending.Push(method.ContainingType.OriginalDefinition);
            while (pending.Count > 0)
            {
                var type = pending.Pop();
                if (!seen.Add(type))
                {
                    continue;
                }

                if (seen.Count > 64)
                {
                    return true; // too many derived types to look at: assume it may
                }

                foreach (var member in type.AllInterfaces.SelectMany(i => i.GetMembers(method.Name)))
                {
                    if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member)?.OriginalDefinition, method))
                    {
                        return true;
                    }
                }

                if (type.IsSealed)
                {
                    continue;
                }

                foreach (var name in Names.Uses(type.Name))
                {
                    if (name.Parent is BaseTypeSyntax && name.FirstAncestorOrSelf<BaseTypeDeclarationSyntax>() is BaseTypeDeclarationSyntax declaration &&
                        Model(declaration.SyntaxTree).GetDeclaredSymbol(declaration) is INamedTypeSymbol derived &&
                        SymbolEqualityComparer.Default.Equals(derived.BaseType?.OriginalDefinition, type))
                    {
                        pending.Push(derived.OriginalDefinition);
                    }
                }
            }

            return false;
        }

        private bool HasFriends() => _compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.Name == "InternalsVisibleToAttribute");

        private NameIndex Names => _names ??= new NameIndex(_compilation);

        private SemanticModel Model(SyntaxTree tree)
        {
            if (!_models.TryGetValue(tree, out var model))
            {
                _models[tree] = model = _compilation.GetSemanticModel(tree);
            }

            return model;
        }
    }
}
