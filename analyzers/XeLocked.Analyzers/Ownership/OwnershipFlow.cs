using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// Which objects one body owns at each program point: a forward "must" dataflow over the body's
    /// <see cref="ControlFlowGraph"/> whose facts are roots (a local, a flow capture, <c>this</c>)
    /// that certainly hold an object no other thread can reach. A root becomes owned where it is
    /// assigned a fresh object (<see cref="OwnershipIndex.IsFreshValue"/>) and stops being owned at its
    /// first publication (<see cref="Publication"/>) or when it is assigned anything else. Joins keep
    /// what every incoming path owns. <c>catch</c>, filter and <c>finally</c> handlers start owning
    /// nothing, and a branch that runs <c>finally</c> handlers loses every root they mention. Locals
    /// captured by a lambda or local function (and <c>this</c>, when captured) are never owned.
    /// </summary>
    internal sealed class OwnershipFlow
    {
        private const int MaxVisitsPerBlock = 64;

        private readonly ControlFlowGraph _cfg;
        private readonly PathBuilder _paths;
        private readonly OwnershipIndex _index;
        private readonly HashSet<AccessPath> _excluded = new HashSet<AccessPath>();
        private readonly Dictionary<IOperation, ImmutableHashSet<AccessPath>> _at = new Dictionary<IOperation, ImmutableHashSet<AccessPath>>();
        private readonly Dictionary<IInvocationOperation, bool> _receiverOwned = new Dictionary<IInvocationOperation, bool>();
        private readonly Dictionary<int, bool> _returns = new Dictionary<int, bool>();
        private readonly Dictionary<int, ImmutableHashSet<AccessPath>> _finallyKills = new Dictionary<int, ImmutableHashSet<AccessPath>>();
        private readonly Publication _publication;
        private readonly Dictionary<int, (IInvocationOperation Call, bool LostWhenTrue)> _exchanges = new Dictionary<int, (IInvocationOperation, bool)>();
        private bool _gaveUp;

        public OwnershipFlow(ControlFlowGraph cfg, PathBuilder paths, OwnershipIndex index, bool thisOwnedOnEntry)
        {
            _cfg = cfg;
            _paths = paths;
            _index = index;
            _publication = new Publication(paths, index);
            CollectCaptured();
            CollectExchanges();
            var entry = ImmutableHashSet<AccessPath>.Empty;
            if (thisOwnedOnEntry && !_excluded.Contains(AccessPath.This))
            {
                entry = entry.Add(AccessPath.This);
            }

            Run(entry);
        }

        /// <summary>
        /// <c>this</c> is published somewhere in the body (on any path, in any handler), or captured by
        /// a lambda or local function: the body may let the object it runs on reach another thread.
        /// </summary>
        public bool ThisEscapes { get; private set; }

        /// <summary>The body returns on at least one path and every value it returns is a fresh object it owns.</summary>
        public bool ReturnsOnlyFresh => !_gaveUp && _returns.Count > 0 && _returns.Values.All(v => v);

        /// <summary>True when <paramref name="root"/> (a bare local, capture or <c>this</c>) is owned when <paramref name="operation"/> runs.</summary>
        public bool IsOwnedAt(IOperation operation, AccessPath root) =>
            !_gaveUp && _at.TryGetValue(operation, out var owned) && owned.Contains(root);

        /// <summary>The receiver of the call written at <paramref name="invocation"/> is owned when the call is made.</summary>
        public bool IsReceiverOwned(SyntaxNode invocation)
        {
            if (_gaveUp)
            {
                return false;
            }

            var found = false;
            foreach (var kv in _receiverOwned)
            {
                if (kv.Key.Syntax == invocation)
                {
                    if (!kv.Value)
                    {
                        return false;
                    }

                    found = true;
                }
            }

            return found;
        }

        /// <summary>A bare root (local, capture, <c>this</c>) that <paramref name="path"/> starts with, or null.</summary>
        public static AccessPath? RootOf(AccessPath? path)
        {
            if (path == null)
            {
                return null;
            }

            switch (path.Kind)
            {
                case PathRootKind.This:
                    return AccessPath.This;
                case PathRootKind.Local:
                    return AccessPath.ForLocal((ILocalSymbol)path.Root!);
                case PathRootKind.Capture:
                    return AccessPath.ForCapture(path.Capture!.Value);
                default:
                    return null;
            }
        }

        private void CollectCaptured()
        {
            foreach (var op in _cfg.OriginalOperation.Descendants())
            {
                if (!(op is IAnonymousFunctionOperation || op is ILocalFunctionOperation))
                {
                    continue;
                }

                foreach (var inner in op.Descendants())
                {
                    switch (inner)
                    {
                        case ILocalReferenceOperation local:
                            _excluded.Add(AccessPath.ForLocal(local.Local));
                            if (Bare(_paths.OfLocal(local.Local)) is AccessPath alias)
                            {
                                _excluded.Add(alias);
                            }

                            break;
                        case IInstanceReferenceOperation instance when instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance:
                            _excluded.Add(AccessPath.This);
                            ThisEscapes = true;
                            break;
                    }
                }
            }
        }

        /// <summary>The blocks that branch on a <c>CompareExchange</c>'s result (see <see cref="CompareExchange"/>).</summary>
        private void CollectExchanges()
        {
            foreach (var block in _cfg.Blocks)
            {
                if (block.BranchValue != null && block.ConditionalSuccessor != null &&
                    CompareExchange.TryDecide(block.BranchValue, block.Operations, out var call, out var lostWhenTrue) && call != null)
                {
                    _exchanges[block.Ordinal] = (call, lostWhenTrue);
                    _publication.Deferred.Add(call);
                }
            }
        }

        private void Run(ImmutableHashSet<AccessPath> entry)
        {
            var blocks = _cfg.Blocks;
            var input = new ImmutableHashSet<AccessPath>?[blocks.Length];
            var incoming = new Dictionary<int, Dictionary<(int, bool), ImmutableHashSet<AccessPath>>>();
            var visits = new int[blocks.Length];
            var worklist = new SortedSet<int> { 0 };
            input[0] = entry;
            foreach (var region in Handlers(_cfg.Root))
            {
                // A handler starts owning nothing: what the try published before throwing is not known.
                input[region.FirstBlockOrdinal] = ImmutableHashSet<AccessPath>.Empty;
                worklist.Add(region.FirstBlockOrdinal);
            }

            while (worklist.Count > 0)
            {
                var b = worklist.Min;
                worklist.Remove(b);
                if (++visits[b] > MaxVisitsPerBlock)
                {
                    _gaveUp = true;
                    return;
                }

                var block = blocks[b];
                var state = input[b]!;
                foreach (var op in block.Operations)
                {
                    state = Visit(op, state);
                }

                if (block.BranchValue is IOperation branch)
                {
                    state = Visit(branch, state);
                    if (block.ConditionalSuccessor == null && block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Return)
                    {
                        _returns[b] = _index.IsFreshValue(branch) || (Bare(_paths.Get(branch)) is AccessPath root && IsOwnedAt(KnownLockApis.UnwrapConversions(branch), root));
                    }
                }

                var (conditional, fallThrough) = (state, state);
                if (_exchanges.TryGetValue(b, out var exchange) && Bare(RootPath(KnownLockApis.UnwrapConversions(exchange.Call.Arguments[1].Value))) is AccessPath stored)
                {
                    // The branch where CompareExchange stored the value publishes it; the other keeps it private.
                    var conditionalIsTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    var conditionalLost = conditionalIsTrue == exchange.LostWhenTrue;
                    conditional = conditionalLost ? state : state.Remove(stored);
                    fallThrough = conditionalLost ? state.Remove(stored) : state;
                }

                Follow(b, block.ConditionalSuccessor, true, conditional, input, incoming, worklist);
                Follow(b, block.FallThroughSuccessor, false, fallThrough, input, incoming, worklist);
            }
        }

        private void Follow(int from, ControlFlowBranch? branch, bool conditional, ImmutableHashSet<AccessPath> state,
            ImmutableHashSet<AccessPath>?[] input, Dictionary<int, Dictionary<(int, bool), ImmutableHashSet<AccessPath>>> incoming, SortedSet<int> worklist)
        {
            if (branch?.Destination == null)
            {
                return;
            }

            foreach (var region in branch.FinallyRegions)
            {
                state = state.Except(FinallyKills(region));
            }

            if (!state.Contains(AccessPath.This))
            {
                state = WithoutFieldRoots(state);
            }

            var to = branch.Destination.Ordinal;
            if (!incoming.TryGetValue(to, out var edges))
            {
                incoming[to] = edges = new Dictionary<(int, bool), ImmutableHashSet<AccessPath>>();
            }

            if (edges.TryGetValue((from, conditional), out var old) && old.SetEquals(state))
            {
                return;
            }

            edges[(from, conditional)] = state;
            ImmutableHashSet<AccessPath>? joined = null;
            foreach (var s in edges.Values)
            {
                joined = joined == null ? s : joined.Intersect(s);
            }

            if (input[to] != null && input[to]!.SetEquals(joined!))
            {
                return;
            }

            input[to] = joined;
            worklist.Add(to);
        }

        /// <summary>Every root a <c>finally</c> region mentions: running it may publish or reassign them.</summary>
        private ImmutableHashSet<AccessPath> FinallyKills(ControlFlowRegion region)
        {
            if (_finallyKills.TryGetValue(region.FirstBlockOrdinal, out var kills))
            {
                return kills;
            }

            var builder = ImmutableHashSet.CreateBuilder<AccessPath>();
            for (var i = region.FirstBlockOrdinal; i <= region.LastBlockOrdinal; i++)
            {
                var block = _cfg.Blocks[i];
                foreach (var op in block.Operations.Concat(block.BranchValue != null ? new[] { block.BranchValue } : Enumerable.Empty<IOperation>()))
                {
                    foreach (var inner in op.DescendantsAndSelf())
                    {
                        if (Bare(RootPath(inner)) is AccessPath root)
                        {
                            builder.Add(root);
                        }
                        else if (inner is IFlowCaptureOperation capture)
                        {
                            builder.Add(AccessPath.ForCapture(capture.Id));
                        }
                    }
                }
            }

            kills = builder.ToImmutable();
            _finallyKills[region.FirstBlockOrdinal] = kills;
            return kills;
        }

        private ImmutableHashSet<AccessPath> Visit(IOperation operation, ImmutableHashSet<AccessPath> state)
        {
            if (operation is IFlowAnonymousFunctionOperation || operation is IAnonymousFunctionOperation || operation is ILocalFunctionOperation)
            {
                _at[operation] = state;
                return state;
            }

            foreach (var child in operation.ChildOperations)
            {
                state = Visit(child, state);
            }

            _at[operation] = state;
            switch (operation)
            {
                case ILocalReferenceOperation:
                case IFlowCaptureReferenceOperation:
                case IInstanceReferenceOperation:
                    return Use(operation, state);
                case IFieldReferenceOperation field when OfThis(field) && FieldRoot(_paths.Get(field)) is AccessPath fieldRoot:
                    return UseField(field, fieldRoot, state);
                case ISimpleAssignmentOperation assignment when !assignment.IsRef && assignment.Target is ILocalReferenceOperation target:
                    return Define(Bare(_paths.Get(target)), assignment.Value, state);
                case ISimpleAssignmentOperation assignment when !assignment.IsRef && assignment.Target is IFieldReferenceOperation field && OfThis(field) &&
                                                                FieldRoot(_paths.Get(field)) is AccessPath fieldRoot:
                    // A fresh object stored in a field of an object not yet shared is not shared either.
                    return state.Contains(AccessPath.This) && _index.IsFreshValue(assignment.Value) ? state.Add(fieldRoot) : state.Remove(fieldRoot);
                case IFlowCaptureOperation capture:
                    var path = Bare(_paths.OfCapture(capture.Id));
                    return path != null && path.Kind == PathRootKind.Capture && Equals(path.Capture, capture.Id) ? Define(path, capture.Value, state) : state;
                default:
                    return state;
            }
        }

        /// <summary>A reference to a root: publishes it unless the use keeps it private (<see cref="Publication"/>).</summary>
        private ImmutableHashSet<AccessPath> Use(IOperation reference, ImmutableHashSet<AccessPath> state)
        {
            var path = RootPath(reference);
            if (FieldRoot(path) is AccessPath aliased)
            {
                return UseField(reference, aliased, state); // a local alias of `this.F`
            }

            if (!(Bare(path) is AccessPath root))
            {
                return state;
            }

            if (root.IsRootedAtThis && !IsFieldAccessOn(reference))
            {
                // Code that runs on `this` (a call, an accessor) or gets it may reach the objects its fields hold.
                state = WithoutFieldRoots(state);
            }

            var owned = state.Contains(root);
            if (!owned && !root.IsRootedAtThis)
            {
                return state;
            }

            var publishes = _publication.Publishes(reference, root, out var call);
            if (call != null)
            {
                _receiverOwned[call] = owned;
            }

            if (!publishes)
            {
                return state;
            }

            if (root.IsRootedAtThis)
            {
                ThisEscapes = true;
            }

            return state.Remove(root);
        }

        /// <summary>
        /// A use of the object a field of <c>this</c> holds (<c>_index.Restore(5)</c>): publishes it unless
        /// the use keeps it private, as for a local (<see cref="Publication"/>).
        /// </summary>
        private ImmutableHashSet<AccessPath> UseField(IOperation reference, AccessPath root, ImmutableHashSet<AccessPath> state)
        {
            var owned = state.Contains(root);
            var publishes = _publication.Publishes(reference, root, out var call);
            if (call != null)
            {
                _receiverOwned[call] = owned;
            }

            return owned && publishes ? state.Remove(root) : state;
        }

        private static bool IsFieldAccessOn(IOperation reference)
        {
            var current = reference;
            while (current.Parent is IConversionOperation conversion && conversion.OperatorMethod == null)
            {
                current = conversion;
            }

            return current.Parent is IFieldReferenceOperation field && field.Instance == current;
        }

        private static bool OfThis(IFieldReferenceOperation field) =>
            field.Instance is IInstanceReferenceOperation instance && instance.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance;

        /// <summary>Forgets the fields of <c>this</c> (when <c>this</c> is published, or code runs on it).</summary>
        private static ImmutableHashSet<AccessPath> WithoutFieldRoots(ImmutableHashSet<AccessPath> state)
        {
            foreach (var root in state)
            {
                if (!root.Members.IsEmpty)
                {
                    return state.Except(state.Where(r => !r.Members.IsEmpty));
                }
            }

            return state;
        }

        /// <summary>
        /// <paramref name="path"/> when it is an instance field of <c>this</c> of a reference type
        /// (<c>this._index</c>): such a root is owned from the store of a fresh object into it while
        /// <c>this</c> is owned, until that object is published, code runs on <c>this</c>, or <c>this</c>
        /// is published.
        /// </summary>
        internal static AccessPath? FieldRoot(AccessPath? path) =>
            path != null && path.Kind == PathRootKind.This && path.Members.Length == 1 &&
            path.Members[0] is IFieldSymbol { IsStatic: false } field && field.Type.IsReferenceType
                ? path
                : null;

        /// <summary>The root is assigned <paramref name="value"/>: owned when it is a fresh object, unless it is the same root again.</summary>
        private ImmutableHashSet<AccessPath> Define(AccessPath? root, IOperation value, ImmutableHashSet<AccessPath> state)
        {
            if (root == null || root.IsRootedAtThis || _excluded.Contains(root) ||
                (root.Root is ILocalSymbol local && local.IsRef) || root.Equals(Bare(_paths.Get(value))))
            {
                return state;
            }

            return _index.IsFreshValue(value) ? state.Add(root) : state.Remove(root);
        }

        private AccessPath? RootPath(IOperation operation) => operation switch
        {
            ILocalReferenceOperation => _paths.Get(operation),
            IFlowCaptureReferenceOperation => _paths.Get(operation),
            IInstanceReferenceOperation i when i.ReferenceKind == InstanceReferenceKind.ContainingTypeInstance => AccessPath.This,
            _ => null,
        };

        /// <summary><paramref name="path"/> when it is a bare root that can be owned (a local, capture or <c>this</c>), else null.</summary>
        internal static AccessPath? Bare(AccessPath? path) =>
            path != null && path.Members.IsEmpty && (path.Kind == PathRootKind.Local || path.Kind == PathRootKind.Capture || path.Kind == PathRootKind.This)
                ? path
                : null;

        private static IEnumerable<ControlFlowRegion> Handlers(ControlFlowRegion region)
        {
            foreach (var nested in region.NestedRegions)
            {
                if (nested.Kind == ControlFlowRegionKind.Catch || nested.Kind == ControlFlowRegionKind.Filter ||
                    nested.Kind == ControlFlowRegionKind.Finally || nested.Kind == ControlFlowRegionKind.FilterAndHandler)
                {
                    yield return nested;
                }

                foreach (var inner in Handlers(nested))
                {
                    yield return inner;
                }
            }
        }
    }
}
