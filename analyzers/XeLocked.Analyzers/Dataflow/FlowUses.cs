using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Where values go in one control-flow graph, for <see cref="AccessClassifier"/>: the uses of
    /// each flow capture, and which values a body that returns by reference returns.
    /// </summary>
    /// <remarks>
    /// The graph splits an expression that contains control flow (<c>c ? ref _a : ref _b</c>,
    /// <c>_a = c ? 1 : 2</c>, <c>_n ??= 3</c>, <c>return ref …</c>) into captures and branch
    /// values: a field reference is then the value of a capture, used (read, written, bound to a
    /// reference) later through the capture's references, or the value of a block that returns.
    /// Built lazily: most bodies never ask.
    /// </remarks>
    internal sealed class FlowUses
    {
        private static readonly IReadOnlyList<IFlowCaptureReferenceOperation> s_none = ImmutableArray<IFlowCaptureReferenceOperation>.Empty;

        private readonly ControlFlowGraph _cfg;
        private Dictionary<CaptureId, List<IFlowCaptureReferenceOperation>>? _captureUses;
        private HashSet<IOperation>? _returned;
        private HashSet<string>? _lambdaNames;

        /// <param name="cfg">the body's graph</param>
        /// <param name="returnRefKind">how the body returns: <see cref="RefKind.None"/> (by value),
        /// <see cref="RefKind.Ref"/> or <see cref="RefKind.RefReadOnly"/></param>
        public FlowUses(ControlFlowGraph cfg, RefKind returnRefKind)
        {
            _cfg = cfg;
            ReturnRefKind = returnRefKind;
        }

        /// <summary>How the body returns (<c>ref</c>, <c>ref readonly</c>, or by value).</summary>
        public RefKind ReturnRefKind { get; }

        /// <summary>The references to capture <paramref name="id"/> in this graph (not in nested lambdas' graphs).</summary>
        public IReadOnlyList<IFlowCaptureReferenceOperation> UsesOf(CaptureId id)
        {
            if (_captureUses == null)
            {
                var uses = new Dictionary<CaptureId, List<IFlowCaptureReferenceOperation>>();
                foreach (var block in _cfg.Blocks)
                {
                    foreach (var op in block.Operations)
                    {
                        Collect(op, uses);
                    }

                    if (block.BranchValue != null)
                    {
                        Collect(block.BranchValue, uses);
                    }
                }

                _captureUses = uses;
            }

            return _captureUses.TryGetValue(id, out var list) ? list : s_none;
        }

        /// <summary>
        /// True when <paramref name="operation"/> is the value a <c>ref</c> or <c>ref readonly</c>
        /// body returns (<c>return ref x;</c>, <c>=> ref x</c>): the branch value of a block that
        /// returns.
        /// </summary>
        public bool IsReturnedByReference(IOperation operation)
        {
            if (ReturnRefKind == RefKind.None || operation.Parent != null)
            {
                return false;
            }

            if (_returned == null)
            {
                var returned = new HashSet<IOperation>();
                foreach (var block in _cfg.Blocks)
                {
                    if (block.BranchValue != null &&
                        block.ConditionKind == ControlFlowConditionKind.None &&
                        block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                    {
                        returned.Add(block.BranchValue);
                    }
                }

                _returned = returned;
            }

            return _returned.Contains(operation);
        }

        /// <summary>
        /// True when a lambda or local function of this body mentions a name equal to
        /// <paramref name="local"/>'s (it may assign it: its value is not known across calls).
        /// </summary>
        public bool MayBeAssignedByLambda(ILocalSymbol local)
        {
            if (_lambdaNames == null)
            {
                var names = new HashSet<string>();
                foreach (var block in _cfg.Blocks)
                {
                    foreach (var op in block.Operations)
                    {
                        foreach (var d in op.DescendantsAndSelf())
                        {
                            if (d is IFlowAnonymousFunctionOperation lambda)
                            {
                                AddNames(lambda.Syntax, names);
                            }
                        }
                    }
                }

                foreach (var f in _cfg.LocalFunctions)
                {
                    foreach (var r in f.DeclaringSyntaxReferences)
                    {
                        AddNames(r.GetSyntax(), names);
                    }
                }

                _lambdaNames = names;
            }

            return _lambdaNames.Contains(local.Name);
        }

        private static void AddNames(SyntaxNode node, HashSet<string> names)
        {
            foreach (var token in node.DescendantTokens())
            {
                if (token.RawKind == (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.IdentifierToken)
                {
                    names.Add(token.ValueText);
                }
            }
        }

        private static void Collect(IOperation root, Dictionary<CaptureId, List<IFlowCaptureReferenceOperation>> uses)
        {
            foreach (var op in root.DescendantsAndSelf())
            {
                if (op is IFlowCaptureReferenceOperation reference)
                {
                    if (!uses.TryGetValue(reference.Id, out var list))
                    {
                        list = new List<IFlowCaptureReferenceOperation>();
                        uses.Add(reference.Id, list);
                    }

                    list.Add(reference);
                }
            }
        }
    }
}
