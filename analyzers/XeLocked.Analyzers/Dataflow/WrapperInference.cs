using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>What one contract-less method's body shows about a lock it hands to or takes from its callers.</summary>
    internal enum WrapperKind
    {
        /// <summary>Leaves the lock held on every normal exit: <c>[Acquires]</c>.</summary>
        Acquires,

        /// <summary>Holds the lock exactly when it returns a given <c>bool</c>: <c>[TryAcquires]</c>.</summary>
        TryAcquires,

        /// <summary>Releases the lock its caller holds and does not take it back: <c>[Releases]</c> (callers must hold it).</summary>
        Releases,

        /// <summary>Works with the lock its caller holds, letting it go and taking it back: <c>[Requires]</c>.</summary>
        Requires,
    }

    /// <summary>A contract inferred from one body (before the pairing rule of <see cref="InferredContractStore"/>).</summary>
    internal sealed class InferredWrapper
    {
        public InferredWrapper(WrapperKind kind, ResolvedFactor factor, bool success, MethodContract contract, IFieldSymbol? condition = null)
        {
            Condition = condition;
            Kind = kind;
            Factor = factor;
            Success = success;
            Contract = contract;
        }

        public WrapperKind Kind { get; }

        /// <summary>The lock (root <c>this</c>, a parameter or static) and mode.</summary>
        public ResolvedFactor Factor { get; }

        /// <summary>For <see cref="WrapperKind.TryAcquires"/>: the result that means "held".</summary>
        public bool Success { get; }

        public MethodContract Contract { get; }

        /// <summary>
        /// For a wrapper whose whole body is <c>if (F) …</c> on a <c>bool</c> field F that only
        /// constructors assign: F (the lock is taken or released exactly when F is true). Null otherwise.
        /// </summary>
        public IFieldSymbol? Condition { get; }

        /// <summary>The lock class (the last member of the lock's path).</summary>
        public ISymbol LockClass => Factor.Path.LastMember!.OriginalDefinition;
    }

    /// <summary>
    /// Infers the contract of a method that declares none from its own body. The body is analyzed
    /// once with nothing held on entry; each lock it releases without having taken it, or leaves held
    /// at some exit, gives candidate contracts (see <see cref="WrapperKind"/>), and the first candidate
    /// under which the whole body checks clean for that lock (analyzed again with the candidate's
    /// entry: no release of it while not held, no join where it is held on some paths only, no second
    /// acquisition, every exit as the candidate says) is the inferred contract. Calls in the body apply
    /// declared contracts only: inference is one level deep, so it cannot recurse.
    /// </summary>
    internal static class WrapperInference
    {
        public static InferredWrapper? Infer(CompilationModel model, IMethodSymbol method, ControlFlowGraph cfg, SemanticModel? semanticModel)
        {
            var paths = new PathBuilder(cfg, null);
            var uses = new FlowUses(cfg, method.RefKind);
            var plain = Run(model, cfg, paths, uses, semanticModel, null);
            if (plain == null)
            {
                return null;
            }

            var returnsBool = method.ReturnType.SpecialType == SpecialType.System_Boolean || IsTaskOfBool(method.ReturnType);
            var condition = FieldCondition.Of(method, semanticModel);
            foreach (var (path, flavor, releasedMode, leftMode) in Locks(model, plain.Value))
            {
                if (condition != null)
                {
                    if (Conditional(plain.Value.Events, path, flavor, releasedMode, leftMode, condition.Value, method) is InferredWrapper conditional)
                    {
                        return conditional;
                    }

                    continue;
                }

                foreach (var (kind, mode, success) in Candidates(releasedMode, leftMode, returnsBool))
                {
                    var factor = Factor(path, flavor, mode, method);
                    if (factor == null)
                    {
                        continue;
                    }

                    var candidate = Contract(kind, factor, success, method);
                    var entry = kind == WrapperKind.Releases || kind == WrapperKind.Requires
                        ? LockState.Empty.With(new HeldLock(path, flavor, CallEffects.ModeOf(factor), EntryKind(candidate), null))
                        : null;
                    var run = entry == null ? plain : Run(model, cfg, paths, uses, semanticModel, entry);
                    if (run != null && Verifies(run.Value, kind, factor, success))
                    {
                        return new InferredWrapper(kind, factor, success, candidate);
                    }
                }
            }

            return null;
        }

        /// <summary>
        /// A wrapper whose whole body is <c>if (F) S</c>: every acquisition (or every release) of the lock
        /// is in S, and the body does not do the other; it is inferred as an unconditional
        /// <c>[Acquires]</c> (or <c>[Releases]</c>) whose body is not checked (it is that one statement),
        /// and pairs only with a wrapper conditional on the same field.
        /// </summary>
        private static InferredWrapper? Conditional(List<LockEvent> events, AccessPath path, LockFlavor flavor, HeldMode? released, HeldMode? left,
            (IFieldSymbol Field, SyntaxNode Statement) condition, IMethodSymbol method)
        {
            var acquires = events.OfType<AcquireEvent>().Where(e => e.Acquired.Path.Equals(path)).ToList();
            var releases = events.OfType<ReleaseEvent>().Where(e => e.Path.Equals(path)).ToList();
            bool Inside(LockEvent e) => condition.Statement.Span.Contains(e.Operation.Syntax.Span);
            WrapperKind kind;
            HeldMode mode;
            if (released is HeldMode r && acquires.Count == 0 && releases.All(Inside))
            {
                kind = WrapperKind.Releases;
                mode = r;
            }
            else if (released == null && left is HeldMode l && releases.Count == 0 && acquires.Count > 0 && acquires.All(Inside))
            {
                kind = WrapperKind.Acquires;
                mode = l;
            }
            else
            {
                return null;
            }

            var factor = Factor(path, flavor, mode, method);
            if (factor == null)
            {
                return null;
            }

            var contract = Contract(kind, factor, success: true, method, skipBody: true,
                $" (taken only when '{condition.Field.Name}' is true; its callers are checked as if always: '{condition.Field.Name}' is assigned only in constructors)");
            return new InferredWrapper(kind, factor, true, contract, condition.Field);
        }

        /// <summary>
        /// How the body holds, on entry, a lock of an inferred contract: a lock it releases (inferred
        /// <c>[Releases]</c>) is held as asserted (as a held-query would make it: releasing it is fine,
        /// and a path where it is still held — a <c>catch</c> around the release — is neither a leak nor
        /// a join reported); one it requires is held as by a declared contract.
        /// </summary>
        public static HoldKind EntryKind(MethodContract contract) =>
            contract.InferredFrom != null && !contract.Releases.IsEmpty ? HoldKind.Asserted : HoldKind.Contract;

        private static (List<LockEvent> Events, List<(IOperation Site, LockState State)> Exits)? Run(CompilationModel model, ControlFlowGraph cfg,
            PathBuilder paths, FlowUses uses, SemanticModel? semanticModel, LockState? entry)
        {
            var start = entry ?? LockState.Empty;
            var flow = new LockDataflow(cfg, new TransferFunction(model, paths, uses, start, semanticModel, inferredContracts: false));
            var events = flow.Run(start);
            return flow.GaveUp ? ((List<LockEvent>, List<(IOperation, LockState)>)?)null : (events, flow.Exits);
        }

        /// <summary>
        /// The nameable locks (rooted at <c>this</c>, a parameter or static, through a member) the body
        /// releases without certainly holding them by an acquisition of its own (the release's mode) or leaves held by an acquisition of its own at some exit
        /// or join (the weakest mode it is left in at an exit).
        /// </summary>
        private static IEnumerable<(AccessPath Path, LockFlavor Flavor, HeldMode? Released, HeldMode? Left)> Locks(CompilationModel model,
            (List<LockEvent> Events, List<(IOperation Site, LockState State)> Exits) run)
        {
            var found = new Dictionary<AccessPath, (LockFlavor Flavor, HeldMode? Released, HeldMode? Left)>();
            foreach (var e in run.Events)
            {
                if (e is ReleaseEvent release && Nameable(release.Path) &&
                    (!(release.Before.Held.TryGetValue(release.Path, out var h)) || h.Kind == HoldKind.Asserted || h.Uncertain))
                {
                    found.TryGetValue(release.Path, out var f);
                    var flavor = h?.Flavor ?? (release.Flavor != LockFlavor.None ? release.Flavor : FlavorOf(model, release.Path));
                    found[release.Path] = (flavor, f.Released ?? release.Mode, f.Left);
                }
                else if (e is JoinEvent join)
                {
                    foreach (var l in join.Inconsistent.Where(l => Nameable(l.Path) && !found.ContainsKey(l.Path)))
                    {
                        found[l.Path] = (l.Flavor, null, l.Mode);
                    }
                }
            }

            foreach (var (_, state) in run.Exits)
            {
                foreach (var held in state.Certain.Where(h => Nameable(h.Path) && (h.Kind == HoldKind.Explicit || h.Kind == HoldKind.Scoped)))
                {
                    found.TryGetValue(held.Path, out var f);
                    found[held.Path] = (held.Flavor, f.Released, f.Left is HeldMode left ? Weaker(left, held.Mode) : held.Mode);
                }
            }

            foreach (var kv in found)
            {
                if (kv.Value.Flavor != LockFlavor.None)
                {
                    yield return (kv.Key, kv.Value.Flavor, kv.Value.Released, kv.Value.Left);
                }
            }
        }

        private static IEnumerable<(WrapperKind Kind, HeldMode Mode, bool Success)> Candidates(HeldMode? released, HeldMode? left, bool returnsBool)
        {
            if (released is HeldMode r)
            {
                yield return (WrapperKind.Releases, r, true);
                yield return (WrapperKind.Requires, r, true);
            }
            else if (left is HeldMode l)
            {
                yield return (WrapperKind.Acquires, l, true);
                if (returnsBool)
                {
                    yield return (WrapperKind.TryAcquires, l, true);
                    yield return (WrapperKind.TryAcquires, l, false);
                }
            }
        }

        private static bool Verifies((List<LockEvent> Events, List<(IOperation Site, LockState State)> Exits) run, WrapperKind kind, ResolvedFactor factor, bool success)
        {
            var path = factor.Path;
            var mode = CallEffects.ModeOf(factor);
            foreach (var e in run.Events)
            {
                switch (e)
                {
                    case ReleaseEvent release when release.Path.Equals(path):
                        if (!release.Before.Held.TryGetValue(path, out var held) || held.Uncertain ||
                            (IsDefinite(held.Mode) && IsDefinite(release.Mode) && held.Mode != release.Mode && !held.Upgraded && !held.AlsoRead))
                        {
                            return false;
                        }

                        break;
                    case AcquireEvent acquire when acquire.Acquired.Path.Equals(path) && !acquire.IsUpgrade &&
                                                   (acquire.Before.Find(path) != null || kind == WrapperKind.Releases):
                        return false; // a second acquisition; or a release wrapper that takes the lock back (that is Requires)
                    case JoinEvent join when join.Inconsistent.Any(l => l.Path.Equals(path)):
                        return false;
                }
            }

            if (run.Exits.Count == 0)
            {
                return false;
            }

            foreach (var (site, state) in run.Exits)
            {
                var heldAtExit = state.Find(path);
                bool mustHold;
                switch (kind)
                {
                    case WrapperKind.Releases:
                        if (heldAtExit != null && heldAtExit.Kind != HoldKind.Asserted)
                        {
                            return false;
                        }

                        continue;
                    case WrapperKind.TryAcquires:
                        if (!(ReturnedConstant(site) is bool returned))
                        {
                            return false;
                        }

                        mustHold = returned == success;
                        break;
                    default:
                        mustHold = true;
                        break;
                }

                if (mustHold ? !Satisfies(heldAtExit, mode) : heldAtExit != null && heldAtExit.Kind != HoldKind.Asserted)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool Satisfies(HeldLock? held, HeldMode mode) =>
            held != null && (mode != HeldMode.Write || !held.Mode.MayBeReadOnly());

        private static bool IsDefinite(HeldMode mode) => mode == HeldMode.Read || mode == HeldMode.Write || mode == HeldMode.UpgradeableRead;

        /// <summary>The weaker of two modes a lock is left in (read when they differ; exclusive locks have one mode).</summary>
        private static HeldMode Weaker(HeldMode a, HeldMode b) => a == b ? a : HeldMode.Read;

        private static bool? ReturnedConstant(IOperation site) =>
            KnownLockApis.UnwrapConversions(site).ConstantValue is { HasValue: true, Value: bool b } ? b : (bool?)null;

        private static bool Nameable(AccessPath path) =>
            (path.Kind == PathRootKind.This || path.Kind == PathRootKind.Static || path.Kind == PathRootKind.Parameter) && path.LastMember != null;

        private static LockFlavor FlavorOf(CompilationModel model, AccessPath path) => path.LastMember switch
        {
            IFieldSymbol f => model.Classifier.Classify(f.Type),
            IPropertySymbol p => model.Classifier.Classify(p.Type),
            _ => LockFlavor.None,
        };

        private static bool IsTaskOfBool(ITypeSymbol type) =>
            type is INamedTypeSymbol named && named.TypeArguments.Length == 1 && named.TypeArguments[0].SpecialType == SpecialType.System_Boolean &&
            (named.Name == "Task" || named.Name == "ValueTask") && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

        /// <summary>The lock as a contract of <paramref name="method"/> would name it (<c>_transaction:write</c>); null when it cannot.</summary>
        private static ResolvedFactor? Factor(AccessPath path, LockFlavor flavor, HeldMode mode, IMethodSymbol method)
        {
            LockModeSpec spec;
            if (flavor.IsReaderWriter())
            {
                if (mode == HeldMode.Read)
                {
                    spec = LockModeSpec.Read;
                }
                else if (mode == HeldMode.Write)
                {
                    spec = LockModeSpec.Write;
                }
                else
                {
                    return null; // upgradeable reads: no contract mode names them
                }
            }
            else
            {
                spec = LockModeSpec.None;
            }

            if (path.Kind == PathRootKind.Parameter && !SymbolEqualityComparer.Default.Equals(path.Root!.ContainingSymbol, method))
            {
                return null;
            }

            var segments = new List<string>();
            switch (path.Kind)
            {
                case PathRootKind.Parameter:
                    segments.Add(path.Root!.Name);
                    break;
                case PathRootKind.Static:
                    segments.Add(path.Members[0].ContainingType.Name);
                    break;
            }

            segments.AddRange(path.Members.Select(m => m.Name));
            var starts = new List<int>();
            var offset = 0;
            foreach (var s in segments)
            {
                starts.Add(offset);
                offset += s.Length + 1;
            }

            var length = offset - 1;
            var lockPath = new LockPath(segments, starts, 0, length);
            var text = new LockFactor(lockPath, spec, 0, length + (spec == LockModeSpec.None ? 0 : spec == LockModeSpec.Read ? 5 : 6));
            return new ResolvedFactor(path, flavor, spec, text);
        }

        private static MethodContract Contract(WrapperKind kind, ResolvedFactor factor, bool success, IMethodSymbol method, bool skipBody = false,
            string note = "")
        {
            var one = ImmutableArray.Create(factor);
            var none = ImmutableArray<ResolvedFactor>.Empty;
            var requires = kind == WrapperKind.Requires
                ? ImmutableArray.Create(new ResolvedExpression(factor.ToString(), ImmutableArray.Create(one)))
                : ImmutableArray<ResolvedExpression>.Empty;
            var tries = kind == WrapperKind.TryAcquires
                ? ImmutableArray.Create(new TryAcquireFactor(success, factor))
                : ImmutableArray<TryAcquireFactor>.Empty;
            var attribute = kind switch
            {
                WrapperKind.Acquires => $"[Acquires(\"{factor}\")]",
                WrapperKind.TryAcquires => $"[TryAcquires({(success ? "true" : "false")}, \"{factor}\")]",
                WrapperKind.Releases => $"[Releases(\"{factor}\")]",
                _ => $"[Requires(\"{factor}\")]",
            };
            return new MethodContract(requires, kind == WrapperKind.Acquires ? one : none, kind == WrapperKind.Releases ? one : none, tries,
                none, none, skipBody, ImmutableArray<ContractProblem>.Empty, ImmutableArray<ResolvedExpression>.Empty,
                inferredFrom: $"{attribute} inferred from the body of '{method.Name}'{note}");
        }
    }
}
