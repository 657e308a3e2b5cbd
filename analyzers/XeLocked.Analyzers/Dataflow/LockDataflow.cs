using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Forward dataflow of <see cref="LockState"/> over one <see cref="ControlFlowGraph"/>: a
    /// worklist fixpoint in which joins keep what every incoming path agrees on; each block's events
    /// are those of its last evaluation (made with its final input). <c>finally</c> regions are evaluated as
    /// functions of the state that enters them along each normal branch (so a lock released in a
    /// <c>finally</c> is released on every exit through it); a <c>catch</c> handler starts from the
    /// state at the start of its <c>try</c>. Exceptional exits are not checked.
    /// </summary>
    internal sealed class LockDataflow
    {
        private const int MaxVisitsPerBlock = 64;

        private readonly ControlFlowGraph _cfg;
        private readonly TransferFunction _transfer;
        private readonly Dictionary<int, Dictionary<(int From, bool Conditional), LockState>> _incoming = new Dictionary<int, Dictionary<(int, bool), LockState>>();
        private readonly Dictionary<(int Region, LockState State), (LockState? Exit, List<LockEvent> Events)> _finallyMemo =
            new Dictionary<(int, LockState), (LockState?, List<LockEvent>)>();
        private readonly LockState?[] _input;
        private List<LockEvent>? _sink;
        private bool _gaveUp;

        public LockDataflow(ControlFlowGraph cfg, TransferFunction transfer)
        {
            _cfg = cfg;
            _transfer = transfer;
            _input = new LockState?[cfg.Blocks.Length];
        }

        /// <summary>True when the fixpoint did not converge within the budget (nothing is reported then).</summary>
        public bool GaveUp => _gaveUp;

        /// <summary>The states on the normal exits of the body (one per edge into the exit block).</summary>
        public List<(IOperation Site, LockState State)> Exits { get; } = new List<(IOperation, LockState)>();

        /// <summary>
        /// Runs the analysis from <paramref name="entry"/> and returns the events at the fixed point.
        /// Events are recorded while iterating: a block's events are those of its last evaluation,
        /// which saw its final input (a block is evaluated again whenever its input changes).
        /// </summary>
        public List<LockEvent> Run(LockState entry)
        {
            var blockEvents = new List<LockEvent>?[_cfg.Blocks.Length];
            var visits = new int[_cfg.Blocks.Length];
            var worklist = new SortedSet<int> { 0 };
            _input[0] = entry;
            while (worklist.Count > 0)
            {
                var b = worklist.Min;
                worklist.Remove(b);
                if (++visits[b] > MaxVisitsPerBlock)
                {
                    _gaveUp = true;
                    return new List<LockEvent>();
                }

                _sink = new List<LockEvent>();
                foreach (var target in Process(_cfg.Blocks[b], _input[b]!))
                {
                    worklist.Add(target);
                }

                blockEvents[b] = _sink;
            }

            // Joins and exits of the fixed point.
            var events = new List<LockEvent>();
            _sink = events;
            foreach (var block in _cfg.Blocks)
            {
                var input = _input[block.Ordinal];
                if (input == null || IsInFinally(block))
                {
                    continue;
                }

                if (block.Kind == BasicBlockKind.Exit)
                {
                    foreach (var p in block.Predecessors)
                    {
                        if (_incoming.TryGetValue(block.Ordinal, out var edges) && edges.TryGetValue((p.Source.Ordinal, p.IsConditionalSuccessor), out var s))
                        {
                            Exits.Add((ExitSite(p.Source) ?? _cfg.OriginalOperation, s));
                        }
                    }

                    continue;
                }

                EmitJoin(block, IncomingStates(block));
                if (blockEvents[block.Ordinal] is List<LockEvent> recorded)
                {
                    events.AddRange(recorded);
                }
            }

            return events;
        }

        /// <summary>Evaluates a block and propagates to its successors; returns the blocks whose input changed.</summary>
        private List<int> Process(BasicBlock block, LockState state)
        {
            var changed = new List<int>();
            if (IsTryStart(block, out var handlers))
            {
                foreach (var h in handlers)
                {
                    if (SetEdge(-1 - block.Ordinal, h, false, state))
                    {
                        changed.Add(h);
                    }
                }
            }

            foreach (var op in block.Operations)
            {
                state = _transfer.Apply(op, state.LeaveScopes(op.Syntax), _sink);
            }

            var branch = block.BranchValue;
            if (branch != null)
            {
                state = _transfer.Apply(branch, state.LeaveScopes(branch.Syntax), _sink);
            }

            if (block.ConditionalSuccessor is ControlFlowBranch conditional && branch != null)
            {
                var value = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                Follow(block, conditional, _transfer.Refine(state, branch, value), true, changed);
                Follow(block, block.FallThroughSuccessor, _transfer.Refine(state, branch, !value), false, changed);
            }
            else
            {
                Follow(block, block.FallThroughSuccessor, state, false, changed);
            }

            return changed;
        }

        private void Follow(BasicBlock from, ControlFlowBranch? branch, LockState? state, bool conditional, List<int> changed)
        {
            if (branch == null || state == null)
            {
                return;
            }

            foreach (var region in branch.FinallyRegions)
            {
                state = RunFinally(region, state);
                if (state == null)
                {
                    return;
                }
            }

            var destination = branch.Destination;
            if (destination == null || (branch.Semantics != ControlFlowBranchSemantics.Regular && branch.Semantics != ControlFlowBranchSemantics.Return))
            {
                return;
            }

            if (destination.Kind == BasicBlockKind.Exit)
            {
                state = state.LeaveScopes(null);
            }
            else if (FirstOperation(destination) is IOperation first)
            {
                state = state.LeaveScopes(first.Syntax);
            }

            if (SetEdge(from.Ordinal, destination.Ordinal, conditional, state))
            {
                changed.Add(destination.Ordinal);
            }
        }

        /// <summary>Records the state on an edge and recomputes the destination's input; true when it changed.</summary>
        private bool SetEdge(int from, int to, bool conditional, LockState state)
        {
            if (!_incoming.TryGetValue(to, out var edges))
            {
                _incoming[to] = edges = new Dictionary<(int, bool), LockState>();
            }

            if (edges.TryGetValue((from, conditional), out var old) && old.Equals(state))
            {
                return false;
            }

            edges[(from, conditional)] = state;
            var joined = LockState.Join(IncomingStates(_cfg.Blocks[to]));
            if (_input[to] != null && _input[to]!.Equals(joined))
            {
                return false;
            }

            _input[to] = joined;
            return true;
        }

        private List<LockState> IncomingStates(BasicBlock block)
        {
            var result = _incoming.TryGetValue(block.Ordinal, out var edges) ? edges.Values.ToList() : new List<LockState>();

            if (block.Ordinal == 0 && _input[0] != null && result.Count == 0)
            {
                result.Add(_input[0]!);
            }

            return result;
        }

        /// <summary>Evaluates a finally region on the state that enters it; null when it never completes normally.</summary>
        private LockState? RunFinally(ControlFlowRegion region, LockState state)
        {
            var key = (region.FirstBlockOrdinal, state);
            if (_finallyMemo.TryGetValue(key, out var memo))
            {
                _sink?.AddRange(memo.Events);
                return memo.Exit;
            }

            _finallyMemo[key] = (null, new List<LockEvent>()); // guards against re-entrance while evaluating
            var outerSink = _sink;
            var finallyEvents = new List<LockEvent>();
            _sink = finallyEvents;
            var local = new Dictionary<int, List<LockState>>();
            var inputs = new Dictionary<int, LockState> { [region.FirstBlockOrdinal] = state };
            var exits = new List<LockState>();
            var worklist = new SortedSet<int> { region.FirstBlockOrdinal };
            var visits = 0;
            var reported = new HashSet<int>();
            while (worklist.Count > 0 && visits++ < MaxVisitsPerBlock * (region.LastBlockOrdinal - region.FirstBlockOrdinal + 1))
            {
                var b = worklist.Min;
                worklist.Remove(b);
                var block = _cfg.Blocks[b];
                var s = inputs[b];
                if (_sink != null && reported.Add(b) && local.TryGetValue(b, out var incoming))
                {
                    EmitJoin(block, incoming);
                }

                foreach (var op in block.Operations)
                {
                    s = _transfer.Apply(op, s.LeaveScopes(op.Syntax), _sink);
                }

                if (block.BranchValue != null)
                {
                    s = _transfer.Apply(block.BranchValue, s.LeaveScopes(block.BranchValue.Syntax), _sink);
                }

                var successors = new List<(ControlFlowBranch? Branch, LockState? State)>();
                if (block.ConditionalSuccessor != null && block.BranchValue != null)
                {
                    var value = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
                    successors.Add((block.ConditionalSuccessor, _transfer.Refine(s, block.BranchValue, value)));
                    successors.Add((block.FallThroughSuccessor, _transfer.Refine(s, block.BranchValue, !value)));
                }
                else
                {
                    successors.Add((block.FallThroughSuccessor, s));
                }

                foreach (var (branch, branchState) in successors)
                {
                    var next = branchState;
                    if (branch == null || next == null)
                    {
                        continue;
                    }

                    foreach (var inner in branch.FinallyRegions)
                    {
                        next = next == null ? null : RunFinally(inner, next);
                    }

                    if (next == null)
                    {
                        continue;
                    }

                    if (branch.Destination == null)
                    {
                        if (branch.Semantics == ControlFlowBranchSemantics.StructuredExceptionHandling)
                        {
                            exits.Add(next);
                        }

                        continue;
                    }

                    var d = branch.Destination.Ordinal;
                    if (d < region.FirstBlockOrdinal || d > region.LastBlockOrdinal)
                    {
                        continue;
                    }

                    if (!local.TryGetValue(d, out var list))
                    {
                        local[d] = list = new List<LockState>();
                    }

                    list.Add(next);
                    var joined = LockState.Join(list);
                    if (!inputs.TryGetValue(d, out var old) || !old.Equals(joined))
                    {
                        inputs[d] = joined;
                        worklist.Add(d);
                    }
                }
            }

            var result = exits.Count == 0 ? null : LockState.Join(exits);
            _finallyMemo[key] = (result, finallyEvents);
            _sink = outerSink;
            _sink?.AddRange(finallyEvents);
            return result;
        }

        private void EmitJoin(BasicBlock block, List<LockState> incoming)
        {
            if (_sink == null || incoming.Count < 2)
            {
                return;
            }

            var joined = LockState.Join(incoming);
            var inconsistent = joined.Held.Values
                .Where(h => h.Uncertain && incoming.Any(s => s.Held.TryGetValue(h.Path, out var x) && !x.Uncertain))
                .ToImmutableArray();
            if (inconsistent.IsEmpty)
            {
                return;
            }

            var site = FirstOperation(block) ?? ExitSite(block);
            if (site != null)
            {
                _sink.Add(new JoinEvent(site, joined, inconsistent, site.Syntax.GetLocation()));
            }
        }

        private static IOperation? FirstOperation(BasicBlock block) =>
            block.Operations.Length > 0 ? block.Operations[0] : block.BranchValue;

        private static IOperation? ExitSite(BasicBlock block) =>
            block.BranchValue ?? (block.Operations.Length > 0 ? block.Operations[block.Operations.Length - 1] : null);

        private static bool IsInFinally(BasicBlock block)
        {
            for (var r = block.EnclosingRegion; r != null; r = r.EnclosingRegion)
            {
                if (r.Kind == ControlFlowRegionKind.Finally)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTryStart(BasicBlock block, out List<int> handlers)
        {
            handlers = new List<int>();
            for (var r = block.EnclosingRegion; r != null && r.FirstBlockOrdinal == block.Ordinal; r = r.EnclosingRegion)
            {
                if (r.Kind == ControlFlowRegionKind.Try && r.EnclosingRegion?.Kind == ControlFlowRegionKind.TryAndCatch)
                {
                    foreach (var sibling in r.EnclosingRegion.NestedRegions)
                    {
                        if (sibling.Kind == ControlFlowRegionKind.Catch || sibling.Kind == ControlFlowRegionKind.FilterAndHandler)
                        {
                            handlers.Add(sibling.FirstBlockOrdinal);
                        }
                    }
                }
            }

            return handlers.Count > 0;
        }
    }
}
