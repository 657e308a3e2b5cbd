using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Which locks a lambda or local function of a body starts with, besides its own contract: the
    /// locks certainly held where it runs, when that is known to be inside the body's own flow.
    /// <list type="bullet">
    /// <item>A lambda passed directly as an argument of a call whose parameter is run before the call
    /// returns (<see cref="CallbackParameters"/>: LINQ, <c>List.ForEach</c>, a method of the
    /// compilation that only invokes it) starts from the locks held where it is created.</item>
    /// <item>A lambda assigned to a local that is only ever invoked (<c>var f = () => …; f();</c>),
    /// and a local function only ever called directly, from this body (not from a nested lambda or
    /// local function, nor recursively), start from the locks held at each invocation.</item>
    /// <item>Every other one (stored in a field, property, array element or collection, returned,
    /// passed to a constructor, to a deferring API such as <c>Task.Run</c>, subscribed with
    /// <c>+=</c>, converted to a delegate passed anywhere) starts from its own contract only, and so
    /// does an <c>async</c> lambda or local function and an iterator (their code runs after the
    /// call has returned).</item>
    /// </list>
    /// </summary>
    internal sealed class NestedBodyEntry
    {
        private const int MaxEntries = 16;

        private readonly ControlFlowGraph _cfg;
        private readonly FlowUses _uses;
        private readonly IReadOnlyList<LockEvent> _events;
        private List<IOperation>? _operations;

        /// <param name="cfg">the enclosing body's graph</param>
        /// <param name="uses">the enclosing body's uses</param>
        /// <param name="events">the enclosing body's events (creations and invocations, with their states)</param>
        public NestedBodyEntry(ControlFlowGraph cfg, FlowUses uses, IReadOnlyList<LockEvent> events)
        {
            _cfg = cfg;
            _uses = uses;
            _events = events;
        }

        /// <summary>The local function called, or the local whose delegate is invoked, by <paramref name="call"/> (null otherwise).</summary>
        public static ISymbol? InlineTarget(IInvocationOperation call)
        {
            if (call.TargetMethod.MethodKind == MethodKind.LocalFunction)
            {
                return call.TargetMethod.OriginalDefinition;
            }

            return call.TargetMethod.MethodKind == MethodKind.DelegateInvoke && call.Instance is ILocalReferenceOperation local ? local.Local : null;
        }

        /// <summary>The entry states <paramref name="lambda"/> inherits (null: its own contract only).</summary>
        public IReadOnlyList<LockState>? ForLambda(IFlowAnonymousFunctionOperation lambda)
        {
            if (lambda.Symbol.IsAsync)
            {
                return null;
            }

            IOperation node = lambda;
            var parent = Unwrap(ref node);
            if (parent is IFlowCaptureOperation capture)
            {
                var references = _uses.UsesOf(capture.Id);
                if (references.Count != 1)
                {
                    return null;
                }

                node = references[0];
                parent = Unwrap(ref node);
            }

            switch (parent)
            {
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call && argument.Parameter != null &&
                                                      CallbackParameters.RunsBeforeReturn(call.TargetMethod, argument.Parameter):
                    return States(_events.OfType<LambdaCreationEvent>().Where(e => e.Lambda == lambda));
                case ISimpleAssignmentOperation assignment when assignment.Value == node && assignment.Target is ILocalReferenceOperation local &&
                                                                OnlyInvoked(local.Local):
                    return States(_events.OfType<InlineInvocationEvent>().Where(e => SymbolEqualityComparer.Default.Equals(e.Target, local.Local)));
                default:
                    return null;
            }
        }

        /// <summary>The entry states local function <paramref name="function"/> inherits (null: its own contract only).</summary>
        public IReadOnlyList<LockState>? ForLocalFunction(IMethodSymbol function)
        {
            if (function.IsAsync || IsIterator(function))
            {
                return null;
            }

            var calls = Operations().OfType<IInvocationOperation>().Count(c =>
                SymbolEqualityComparer.Default.Equals(c.TargetMethod.OriginalDefinition, function.OriginalDefinition) &&
                c.Syntax is InvocationExpressionSyntax { Expression: SimpleNameSyntax });
            var mentions = _cfg.OriginalOperation.Syntax.DescendantNodes().OfType<SimpleNameSyntax>().Count(n => n.Identifier.ValueText == function.Name);
            if (calls == 0 || calls != mentions)
            {
                return null;
            }

            return States(_events.OfType<InlineInvocationEvent>().Where(e => SymbolEqualityComparer.Default.Equals(e.Target, function.OriginalDefinition)));
        }

        private static bool IsIterator(IMethodSymbol function)
        {
            foreach (var reference in function.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax();
                if (declaration.DescendantNodes(n => n == declaration || !(n is AnonymousFunctionExpressionSyntax || n is LocalFunctionStatementSyntax))
                    .OfType<YieldStatementSyntax>().Any())
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The entry of a nested body run from a point of this one: the locks certainly held there, as if required by it.</summary>
        public static LockState Inherit(LockState at)
        {
            var state = LockState.Empty;
            foreach (var h in at.Certain)
            {
                state = state.With(new HeldLock(h.Path, h.Flavor, h.Mode, HoldKind.Contract, null));
            }

            foreach (var fact in at.Facts)
            {
                state = state.WithFact(fact);
            }

            return state;
        }

        private static IReadOnlyList<LockState>? States(IEnumerable<LockEvent> at)
        {
            var states = at.Select(e => Inherit(e.Before)).Distinct().Take(MaxEntries).ToList();
            return states.Count > 0 ? states : null;
        }

        /// <summary>The parent of <paramref name="node"/> above the delegate creation and conversions (moving <paramref name="node"/> up to it).</summary>
        private static IOperation? Unwrap(ref IOperation node)
        {
            var parent = node.Parent;
            while (parent is IDelegateCreationOperation || parent is IConversionOperation || parent is IParenthesizedOperation)
            {
                node = parent;
                parent = parent.Parent;
            }

            return parent;
        }

        /// <summary>
        /// True when <paramref name="local"/> is assigned once in this graph and otherwise only
        /// invoked (<c>f()</c>, <c>f.Invoke()</c>), and no nested lambda or local function mentions it.
        /// </summary>
        private bool OnlyInvoked(ILocalSymbol local)
        {
            if (local.IsRef || _uses.MayBeAssignedByLambda(local))
            {
                return false;
            }

            var assignments = 0;
            foreach (var reference in Operations().OfType<ILocalReferenceOperation>())
            {
                if (!SymbolEqualityComparer.Default.Equals(reference.Local, local))
                {
                    continue;
                }

                switch (reference.Parent)
                {
                    case ISimpleAssignmentOperation assignment when assignment.Target == reference:
                        assignments++;
                        break;
                    case IInvocationOperation call when call.Instance == reference && call.TargetMethod.MethodKind == MethodKind.DelegateInvoke:
                        break;
                    default:
                        return false;
                }
            }

            return assignments == 1;
        }

        private List<IOperation> Operations()
        {
            if (_operations == null)
            {
                var all = new List<IOperation>();
                foreach (var block in _cfg.Blocks)
                {
                    foreach (var op in block.Operations)
                    {
                        all.AddRange(op.DescendantsAndSelf());
                    }

                    if (block.BranchValue != null)
                    {
                        all.AddRange(block.BranchValue.DescendantsAndSelf());
                    }
                }

                _operations = all;
            }

            return _operations;
        }
    }
}
