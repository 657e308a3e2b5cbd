using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The methods declared in the compilation's source that one operation calls, written or made by
    /// the compiler for the user: invocations, constructors (<c>new T()</c>, <c>new()</c>), user-defined
    /// operators (binary, unary, <c>++</c>, compound assignment, <c>&amp;&amp;</c>/<c>||</c> with
    /// <c>operator true</c>/<c>false</c>) and conversions, event <c>add</c>/<c>remove</c>, the
    /// awaiter of an <c>await</c> (<c>GetAwaiter</c>, <c>IsCompleted</c>, <c>GetResult</c>,
    /// <c>OnCompleted</c>/<c>UnsafeOnCompleted</c>), <c>Deconstruct</c> (deconstruction and positional
    /// patterns), the copy constructor of a <c>with</c> on a record, implicit index/range indexers,
    /// collection expressions (construction and <c>Add</c>), and, in the operation tree (the
    /// control-flow graph lowers them to invocations), <c>foreach</c> (GetEnumerator, MoveNext,
    /// Current, Dispose, element conversion, Deconstruct) and <c>using</c> (Dispose, DisposeAsync).
    /// Property accessors are not listed here (which one runs depends on the use: see
    /// <see cref="Accessor"/>). An interface member called on a receiver whose static type is a
    /// class or struct is resolved to that type's implementation (<c>IDisposable.Dispose</c> of a
    /// <c>using</c> runs <c>Store.Dispose</c>). Delegates, lambdas, reflection and <c>dynamic</c> are
    /// not calls to a known method and are not listed.
    /// </summary>
    internal static class CallTargets
    {
        /// <summary>True when <paramref name="method"/> is declared in source (implicitly declared constructors included).</summary>
        public static bool IsInSource(IMethodSymbol method)
        {
            var m = method.ReducedFrom ?? method;
            foreach (var l in m.OriginalDefinition.Locations)
            {
                if (l.IsInSource)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when a call to <paramref name="method"/> may run an override or implementation instead.</summary>
        public static bool IsDispatchable(IMethodSymbol method) => method.IsVirtual || method.IsAbstract || method.IsOverride;

        /// <summary>The syntax a call made for <paramref name="operation"/> is reported at: the collection of a <c>foreach</c> for its implicit calls.</summary>
        public static SyntaxNode Site(IOperation operation)
        {
            var syntax = operation.Syntax;
            if (operation.IsImplicit)
            {
                switch (syntax)
                {
                    case CommonForEachStatementSyntax loop:
                        return loop.Expression;
                    case TypeSyntax type when type.Parent is ForEachStatementSyntax loop && loop.Type == type:
                        return loop.Expression;
                    case ExpressionSyntax variable when variable.Parent is ForEachVariableStatementSyntax loop && loop.Variable == variable:
                        return loop.Expression;
                }
            }

            return syntax;
        }

        /// <summary>The accessor <paramref name="accessor"/> of the property referenced by <paramref name="property"/>, as a call.</summary>
        public static void Accessor(IPropertyReferenceOperation property, IMethodSymbol? accessor, List<CallTarget> output) =>
            Add(accessor, property.Instance, output);

        /// <summary>
        /// Adds the calls <paramref name="operation"/> itself makes (not those of its operands) to
        /// <paramref name="output"/>; <paramref name="semanticModel"/> answers for an operation of a
        /// control-flow graph, which has none of its own.
        /// </summary>
        public static void Of(IOperation operation, List<CallTarget> output, SemanticModel? semanticModel = null)
        {
            semanticModel = operation.SemanticModel ?? semanticModel;
            switch (operation)
            {
                case IInvocationOperation call:
                    if (IsClone(call.TargetMethod))
                    {
                        AddStatic(CopyConstructor(call.TargetMethod.ContainingType), output);
                    }
                    else
                    {
                        Add(call.TargetMethod, call.Instance, output);
                    }

                    break;
                case IObjectCreationOperation creation:
                    AddStatic(creation.Constructor, output);
                    break;
                case IBinaryOperation binary when binary.OperatorMethod != null:
                    if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd || binary.OperatorKind == BinaryOperatorKind.ConditionalOr)
                    {
                        // `a && b` with a user-defined `&` first asks `operator false(a)` (`||`: `operator true`).
                        var test = binary.OperatorKind == BinaryOperatorKind.ConditionalAnd ? WellKnownMemberNames.FalseOperatorName : WellKnownMemberNames.TrueOperatorName;
                        AddStatic(binary.OperatorMethod.ContainingType.GetMembers(test).OfType<IMethodSymbol>().FirstOrDefault(), output);
                    }

                    AddStatic(binary.OperatorMethod, output);
                    break;
                case IUnaryOperation unary:
                    AddStatic(unary.OperatorMethod, output);
                    break;
                case IIncrementOrDecrementOperation step:
                    AddStatic(step.OperatorMethod, output);
                    break;
                case ICompoundAssignmentOperation compound:
                    AddStatic(compound.InConversion.MethodSymbol, output);
                    AddStatic(compound.OperatorMethod, output);
                    AddStatic(compound.OutConversion.MethodSymbol, output);
                    break;
                case IConversionOperation conversion:
                    AddStatic(conversion.OperatorMethod, output);
                    break;
                case IEventAssignmentOperation assignment when assignment.EventReference is IEventReferenceOperation reference:
                    Add(assignment.Adds ? reference.Event.AddMethod : reference.Event.RemoveMethod, reference.Instance, output);
                    break;
                case IAwaitOperation suspension:
                    Await(suspension, semanticModel, output);
                    break;
                case IDeconstructionAssignmentOperation deconstruction:
                    Deconstruction(deconstruction, semanticModel, output);
                    break;
                case IRecursivePatternOperation pattern:
                    AddStatic(pattern.DeconstructSymbol as IMethodSymbol, output);
                    break;
                case IWithOperation with when with.CloneMethod != null:
                    AddStatic(CopyConstructor(with.CloneMethod.ContainingType), output);
                    break;
                case IImplicitIndexerReferenceOperation index:
                    ImplicitIndexer(index, output);
                    break;
                case ICollectionExpressionOperation collection:
                    CollectionExpression(collection, output);
                    break;
                case IForEachLoopOperation loop:
                    ForEach(loop, output);
                    break;
                case IUsingOperation scope:
                    foreach (var type in ResourceTypes(scope.Resources))
                    {
                        Dispose(type, scope.IsAsynchronous, output);
                    }

                    break;
                case IUsingDeclarationOperation declaration:
                    foreach (var type in ResourceTypes(declaration.DeclarationGroup))
                    {
                        Dispose(type, declaration.IsAsynchronous, output);
                    }

                    break;
            }
        }

        /// <summary>A call to <paramref name="method"/> on <paramref name="instance"/>: resolved on the receiver's type, dispatched unless through <c>base.</c>.</summary>
        private static void Add(IMethodSymbol? method, IOperation? instance, List<CallTarget> output)
        {
            if (method == null)
            {
                return;
            }

            if (!method.IsStatic && method.ContainingType?.TypeKind == TypeKind.Interface && ReceiverType(instance) is INamedTypeSymbol receiver &&
                receiver.TypeKind != TypeKind.Interface && receiver.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation)
            {
                method = implementation;
            }

            Add(method, dispatched: IsDispatchable(method) && !IsBase(instance), output);
        }

        /// <summary>A call bound at compile time (constructor, operator, conversion) or to a static interface member (dispatched on the type argument).</summary>
        private static void AddStatic(IMethodSymbol? method, List<CallTarget> output)
        {
            if (method != null)
            {
                Add(method, dispatched: IsDispatchable(method), output);
            }
        }

        private static void Add(IMethodSymbol method, bool dispatched, List<CallTarget> output)
        {
            if (IsInSource(method))
            {
                output.Add(new CallTarget(method, dispatched));
            }
        }

        /// <summary>A call on <c>base</c> runs the named body, not the overrides.</summary>
        private static bool IsBase(IOperation? instance) =>
            instance is IInstanceReferenceOperation reference && reference.Syntax is BaseExpressionSyntax;

        /// <summary>The static type of a receiver, under reference and boxing conversions (which do not change the object).</summary>
        private static ITypeSymbol? ReceiverType(IOperation? instance)
        {
            while (instance is IConversionOperation conversion && conversion.OperatorMethod == null &&
                (conversion.Conversion.IsReference || conversion.Conversion.IsIdentity || conversion.Operand.Type?.IsValueType == true))
            {
                instance = conversion.Operand;
            }

            return instance?.Type;
        }

        private static bool IsClone(IMethodSymbol method) => method.Name == "<Clone>$" && method.IsImplicitlyDeclared;

        /// <summary>The copy constructor a record's clone runs (<c>with</c>); only a declared one has a body of its own.</summary>
        private static IMethodSymbol? CopyConstructor(INamedTypeSymbol? type) =>
            type?.InstanceConstructors.FirstOrDefault(c => !c.IsImplicitlyDeclared && c.Parameters.Length == 1 &&
                SymbolEqualityComparer.Default.Equals(c.Parameters[0].Type.OriginalDefinition, type.OriginalDefinition));

        private static void Await(IAwaitOperation suspension, SemanticModel? semanticModel, List<CallTarget> output)
        {
            IMethodSymbol? getAwaiter;
            IMethodSymbol? isCompleted;
            IMethodSymbol? getResult;
            if (suspension.Syntax is AwaitExpressionSyntax syntax && semanticModel is SemanticModel model && model.SyntaxTree == syntax.SyntaxTree)
            {
                var info = model.GetAwaitExpressionInfo(syntax);
                getAwaiter = info.GetAwaiterMethod;
                isCompleted = info.IsCompletedProperty?.GetMethod;
                getResult = info.GetResultMethod;
            }
            else
            {
                // The implicit awaits of `await foreach` and `await using`: the awaiter pattern on the awaited type.
                getAwaiter = InstanceMethod(suspension.Operation.Type, "GetAwaiter");
                isCompleted = (Member(getAwaiter?.ReturnType, "IsCompleted") as IPropertySymbol)?.GetMethod;
                getResult = InstanceMethod(getAwaiter?.ReturnType, "GetResult");
            }

            AddStatic(getAwaiter, output);
            AddStatic(isCompleted, output);
            if (getAwaiter?.ReturnType is INamedTypeSymbol awaiter)
            {
                // When not completed, the builder hands the continuation to the awaiter, on this thread.
                AddStatic(InterfaceImplementation(awaiter, "System.Runtime.CompilerServices.ICriticalNotifyCompletion", "UnsafeOnCompleted") ??
                    InterfaceImplementation(awaiter, "System.Runtime.CompilerServices.INotifyCompletion", "OnCompleted"), output);
            }

            AddStatic(getResult, output);
        }

        private static void Deconstruction(IDeconstructionAssignmentOperation deconstruction, SemanticModel? semanticModel, List<CallTarget> output)
        {
            if (!(semanticModel is SemanticModel model) || model.SyntaxTree != deconstruction.Syntax.SyntaxTree)
            {
                return;
            }

            DeconstructionInfo info;
            switch (deconstruction.Syntax)
            {
                case AssignmentExpressionSyntax assignment:
                    info = model.GetDeconstructionInfo(assignment);
                    break;
                case ExpressionSyntax variable when variable.Parent is ForEachVariableStatementSyntax loop:
                    info = model.GetDeconstructionInfo(loop);
                    break;
                default:
                    return;
            }

            Deconstructs(info, output);
        }

        private static void Deconstructs(DeconstructionInfo info, List<CallTarget> output)
        {
            AddStatic(info.Method, output);
            AddStatic(info.Conversion?.MethodSymbol, output);
            foreach (var nested in info.Nested)
            {
                Deconstructs(nested, output);
            }
        }

        private static void ImplicitIndexer(IImplicitIndexerReferenceOperation index, List<CallTarget> output)
        {
            if (index.LengthSymbol is IPropertySymbol length)
            {
                Add(length.GetMethod, index.Instance, output);
            }

            switch (index.IndexerSymbol)
            {
                case IPropertySymbol indexer:
                    Add(indexer.GetMethod, index.Instance, output);
                    Add(indexer.SetMethod, index.Instance, output);
                    break;
                case IMethodSymbol slice:
                    Add(slice, index.Instance, output);
                    break;
            }
        }

        private static void CollectionExpression(ICollectionExpressionOperation collection, List<CallTarget> output)
        {
            var construct = collection.ConstructMethod;
            AddStatic(construct, output);
            if (construct?.MethodKind == MethodKind.Constructor && !collection.Elements.IsEmpty)
            {
                // A collection-initializer type: each element goes through one of its `Add` methods.
                for (var t = construct.ContainingType; t != null; t = t.BaseType)
                {
                    foreach (var add in t.GetMembers("Add").OfType<IMethodSymbol>())
                    {
                        if (!add.IsStatic && add.Parameters.Length >= 1)
                        {
                            Add(add, dispatched: IsDispatchable(add), output);
                        }
                    }
                }
            }
        }

        /// <summary><c>foreach</c> in the operation tree (the graph lowers it to the invocations themselves).</summary>
        private static void ForEach(IForEachLoopOperation loop, List<CallTarget> output)
        {
            if (!(loop.Syntax is CommonForEachStatementSyntax syntax) || !(loop.SemanticModel is SemanticModel model))
            {
                return;
            }

            var info = model.GetForEachStatementInfo(syntax);
            var collection = loop.Collection is IConversionOperation c ? c.Operand : loop.Collection;
            var getEnumerator = info.GetEnumeratorMethod;
            if (getEnumerator == null)
            {
                return; // arrays, strings, spans: no user code
            }

            Add(getEnumerator, collection, output);
            var enumerator = getEnumerator.ReturnType;
            AddOn(info.MoveNextMethod, enumerator, output);
            AddOn(info.CurrentProperty?.GetMethod, enumerator, output);
            AddStatic(info.ElementConversion.MethodSymbol, output);
            if (syntax is ForEachVariableStatementSyntax variable)
            {
                Deconstructs(model.GetDeconstructionInfo(variable), output);
            }

            if (info.DisposeMethod != null)
            {
                AddOn(info.DisposeMethod, enumerator, output);
            }

            if (info.IsAsynchronous)
            {
                // MoveNextAsync's and DisposeAsync's awaiters.
                foreach (var awaited in new[] { info.MoveNextMethod?.ReturnType, info.DisposeMethod?.ReturnType })
                {
                    var getAwaiter = InstanceMethod(awaited, "GetAwaiter");
                    AddStatic(getAwaiter, output);
                    AddStatic((Member(getAwaiter?.ReturnType, "IsCompleted") as IPropertySymbol)?.GetMethod, output);
                    AddStatic(InstanceMethod(getAwaiter?.ReturnType, "GetResult"), output);
                }
            }
        }

        /// <summary>A call of <paramref name="method"/> on a value of static type <paramref name="receiver"/>.</summary>
        private static void AddOn(IMethodSymbol? method, ITypeSymbol receiver, List<CallTarget> output)
        {
            if (method == null)
            {
                return;
            }

            if (!method.IsStatic && method.ContainingType?.TypeKind == TypeKind.Interface && receiver is INamedTypeSymbol named &&
                named.TypeKind != TypeKind.Interface && named.FindImplementationForInterfaceMember(method) is IMethodSymbol implementation)
            {
                method = implementation;
            }

            Add(method, dispatched: IsDispatchable(method), output);
        }

        private static IEnumerable<ITypeSymbol> ResourceTypes(IOperation resources)
        {
            if (resources is IVariableDeclarationGroupOperation group)
            {
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        yield return declarator.Symbol.Type;
                    }
                }
            }
            else if (resources.Type != null)
            {
                yield return resources.Type;
            }
        }

        /// <summary>The <c>Dispose</c> (or <c>DisposeAsync</c>) a <c>using</c> of a <paramref name="type"/> resource calls.</summary>
        private static void Dispose(ITypeSymbol type, bool asynchronous, List<CallTarget> output)
        {
            if (!(type is INamedTypeSymbol named) || named.TypeKind == TypeKind.Interface)
            {
                return; // the dispatch of an interface's Dispose: the implementations are not known here
            }

            // `await using` takes a DisposeAsync() by pattern first; `using` takes IDisposable's, and a Dispose() by pattern only on a ref struct.
            var method = asynchronous
                ? InstanceMethod(named, "DisposeAsync") ?? InterfaceImplementation(named, "System.IAsyncDisposable", "DisposeAsync")
                : InterfaceImplementation(named, "System.IDisposable", "Dispose") ?? (named.IsRefLikeType ? InstanceMethod(named, "Dispose") : null);
            if (method != null)
            {
                Add(method, dispatched: IsDispatchable(method), output);
                if (asynchronous)
                {
                    var getAwaiter = InstanceMethod(method.ReturnType, "GetAwaiter");
                    AddStatic(getAwaiter, output);
                    AddStatic(InstanceMethod(getAwaiter?.ReturnType, "GetResult"), output);
                }
            }
        }

        /// <summary>An accessible-by-pattern instance method without parameters, on the type or a base type.</summary>
        private static IMethodSymbol? InstanceMethod(ITypeSymbol? type, string name) =>
            Member(type, name, m => m is IMethodSymbol method && !method.IsStatic && method.Parameters.IsEmpty && method.DeclaredAccessibility == Accessibility.Public) as IMethodSymbol;

        private static ISymbol? Member(ITypeSymbol? type, string name, System.Func<ISymbol, bool>? filter = null)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                foreach (var member in t.GetMembers(name))
                {
                    if (filter == null || filter(member))
                    {
                        return member;
                    }
                }
            }

            return null;
        }

        /// <summary>The implementation in <paramref name="type"/> of the member <paramref name="name"/> of the interface with metadata name <paramref name="interfaceName"/>.</summary>
        private static IMethodSymbol? InterfaceImplementation(INamedTypeSymbol type, string interfaceName, string name)
        {
            foreach (var i in type.AllInterfaces)
            {
                if (i.ToDisplayString() == interfaceName)
                {
                    foreach (var member in i.GetMembers(name))
                    {
                        if (type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation)
                        {
                            return implementation;
                        }
                    }
                }
            }

            return null;
        }
    }
}
