using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Maps expressions of one body to <see cref="AccessPath"/>s: <c>this.Vm.Lock</c>,
    /// <c>vm.Lock</c>, a static member, a local or flow capture. A local assigned exactly once from a
    /// path (<c>var vm = fault.Vm;</c>) and a compiler capture with a single definition are aliases
    /// of that path, so that <c>vm.Lock</c> and <c>fault.Vm.Lock</c> are one lock instance.
    /// Expressions the analysis cannot name (array elements, call results) give null: unknown,
    /// and nothing is reported about them.
    /// </summary>
    internal sealed class PathBuilder
    {
        private const int MaxDepth = 24;

        private readonly PathBuilder? _parent;
        private readonly Dictionary<ILocalSymbol, IOperation?> _locals = new Dictionary<ILocalSymbol, IOperation?>(SymbolEqualityComparer.Default);
        private readonly Dictionary<CaptureId, IOperation?> _captures = new Dictionary<CaptureId, IOperation?>();

        public PathBuilder(ControlFlowGraph cfg, PathBuilder? parent)
        {
            _parent = parent;
            foreach (var block in cfg.Blocks)
            {
                foreach (var op in block.Operations)
                {
                    Collect(op);
                }

                if (block.BranchValue != null)
                {
                    Collect(block.BranchValue);
                }
            }
        }

        /// <summary>The path <paramref name="operation"/> denotes, or null when unknown.</summary>
        public AccessPath? Get(IOperation? operation) => Get(operation, 0);

        private AccessPath? Get(IOperation? operation, int depth)
        {
            if (operation == null || depth > MaxDepth)
            {
                return null;
            }

            switch (operation)
            {
                case IConversionOperation conversion when conversion.OperatorMethod == null:
                    return Get(conversion.Operand, depth + 1);
                case IInstanceReferenceOperation instance:
                    return instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance ? AccessPath.This : null;
                case IParameterReferenceOperation parameter:
                    return AccessPath.ForParameter(parameter.Parameter);
                case ILocalReferenceOperation local:
                    return LocalPath(local.Local, depth);
                case IFlowCaptureReferenceOperation capture:
                    return CapturePath(capture.Id, depth);
                case IFieldReferenceOperation field:
                    return field.Field.IsStatic ? AccessPath.ForStatic(field.Field) : Get(field.Instance, depth + 1)?.Append(field.Field);
                case IPropertyReferenceOperation property when property.Arguments.IsEmpty:
                    return property.Property.IsStatic ? AccessPath.ForStatic(property.Property) : Get(property.Instance, depth + 1)?.Append(property.Property);
                default:
                    return null;
            }
        }

        /// <summary>The path a reference to <paramref name="local"/> denotes.</summary>
        public AccessPath? OfLocal(ILocalSymbol local) => LocalPath(local, 0);

        /// <summary>The path a reference to the flow capture <paramref name="id"/> denotes.</summary>
        public AccessPath? OfCapture(CaptureId id) => CapturePath(id, 0);

        private AccessPath? LocalPath(ILocalSymbol local, int depth)
        {
            for (var b = this; b != null; b = b._parent)
            {
                if (b._locals.TryGetValue(local, out var value))
                {
                    return value != null ? b.Get(value, depth + 1) ?? AccessPath.ForLocal(local) : AccessPath.ForLocal(local);
                }
            }

            return AccessPath.ForLocal(local);
        }

        private AccessPath? CapturePath(CaptureId id, int depth)
        {
            for (var b = this; b != null; b = b._parent)
            {
                if (b._captures.TryGetValue(id, out var value))
                {
                    return value != null ? b.Get(value, depth + 1) ?? AccessPath.ForCapture(id) : AccessPath.ForCapture(id);
                }
            }

            return AccessPath.ForCapture(id);
        }

        private void Collect(IOperation root)
        {
            var stack = new Stack<IOperation>();
            stack.Push(root);
            while (stack.Count > 0)
            {
                var op = stack.Pop();
                switch (op)
                {
                    case IFlowAnonymousFunctionOperation:
                    case IAnonymousFunctionOperation:
                    case ILocalFunctionOperation:
                        continue;
                    case IFlowCaptureOperation capture:
                        Define(_captures, capture.Id, capture.Value);
                        break;
                    case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation target && !assignment.IsRef:
                        Define(_locals, target.Local, assignment.Value);
                        break;
                    case IIsPatternOperation isPattern when isPattern.Pattern is IDeclarationPatternOperation declaration && declaration.DeclaredSymbol is ILocalSymbol patternLocal:
                        // `x is T t`: t is x.
                        Define(_locals, patternLocal, isPattern.Value);
                        break;
                    case ILocalReferenceOperation local when IsOtherWrite(local):
                        _locals[local.Local] = null;
                        break;
                }

                foreach (var child in op.ChildOperations)
                {
                    stack.Push(child);
                }
            }
        }

        private static void Define<TKey>(Dictionary<TKey, IOperation?> map, TKey key, IOperation value)
            where TKey : notnull
        {
            // A second definition (or any other write) makes the value unknown: null marks "not an alias".
            map[key] = map.ContainsKey(key) ? null : value;
        }

        private static bool IsOtherWrite(ILocalReferenceOperation local)
        {
            var parent = local.Parent;
            return parent switch
            {
                ISimpleAssignmentOperation s => s.Target == local && s.IsRef,
                ICompoundAssignmentOperation c => c.Target == local,
                ICoalesceAssignmentOperation c => c.Target == local,
                IIncrementOrDecrementOperation => true,
                IArgumentOperation a => a.Parameter?.RefKind == RefKind.Ref || a.Parameter?.RefKind == RefKind.Out,
                IAddressOfOperation => true,
                ITupleOperation => true,
                IDeclarationExpressionOperation => true,
                _ => local.Local.IsRef,
            };
        }
    }
}
