using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The transfer function of the lock-set dataflow: evaluates one operation tree (children
    /// first, in evaluation order) against a <see cref="LockState"/>, applying acquisitions,
    /// releases, try-acquires, assertions and guard disposal, and recording
    /// <see cref="LockEvent"/>s for the rules.
    /// </summary>
    internal sealed class TransferFunction
    {
        private readonly CompilationModel _model;
        private readonly PathBuilder _paths;
        private readonly FlowUses _uses;
        private readonly LockState _atReturn;
        private readonly SemanticModel? _semanticModel;
        private readonly bool _inferredContracts;

        /// <param name="model">the compilation</param>
        /// <param name="paths">the body's paths</param>
        /// <param name="uses">the body's captures and returned values</param>
        /// <param name="atReturn">the locks the body guarantees to its callers when it returns (its
        /// <c>[Requires]</c> alternative and <c>[Acquires]</c>): what a reference it returns is checked against</param>
        /// <param name="semanticModel">the semantic model of the body's tree (the graph's operations have none), for the
        /// calls only it names (<c>Deconstruct</c>, awaiters)</param>
        /// <param name="inferredContracts">apply the inferred contracts of contract-less wrapper methods at calls
        /// (false while inferring one: inference is one level deep, see <see cref="InferredContractStore"/>)</param>
        public TransferFunction(CompilationModel model, PathBuilder paths, FlowUses uses, LockState atReturn, SemanticModel? semanticModel = null,
            bool inferredContracts = true)
        {
            _inferredContracts = inferredContracts;
            _semanticModel = semanticModel;
            _model = model;
            _paths = paths;
            _uses = uses;
            _atReturn = atReturn;
        }

        public PathBuilder Paths => _paths;

        /// <summary>
        /// The state on the side of a conditional branch where <paramref name="condition"/> is
        /// <paramref name="value"/> (null when that side is infeasible): try-acquire results and
        /// <c>lockTaken</c> flags (<see cref="BranchRefiner"/>), and a lock's own "held by this
        /// thread" query (<see cref="HeldQueryRefiner"/>, which also finds the side that contradicts a certain hold infeasible).
        /// </summary>
        public LockState? Refine(LockState state, IOperation condition, bool value)
        {
            var refined = BranchRefiner.Refine(state, condition, value);
            return refined == null ? null : HeldQueryRefiner.Refine(refined, condition, value, _model.Known, _paths);
        }

        /// <summary>Evaluates <paramref name="operation"/>; events go to <paramref name="sink"/> when it is not null.</summary>
        public LockState Apply(IOperation operation, LockState state, List<LockEvent>? sink)
        {
            switch (operation)
            {
                case IFlowAnonymousFunctionOperation lambda:
                    sink?.Add(new LambdaCreationEvent(lambda, state));
                    return state; // a separate body, analyzed on its own
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return state;
                case IInvalidOperation invalid when invalid.Syntax.Parent is LockStatementSyntax lockStatement && lockStatement.Expression == invalid.Syntax && invalid.ChildOperations.Count == 1:
                    return UnloweredLock(invalid, lockStatement, state, sink);
            }

            foreach (var child in operation.ChildOperations)
            {
                state = Apply(child, state, sink);
            }

            RecordHeldCalls(operation, state, sink);
            switch (operation)
            {
                case IInvocationOperation call:
                    if (sink != null && NestedBodyEntry.InlineTarget(call) is ISymbol inline)
                    {
                        sink.Add(new InlineInvocationEvent(call, state, inline));
                    }

                    return Call(call, state, sink);
                case IAwaitOperation suspension:
                    sink?.Add(new AwaitEvent(suspension, state));
                    return Awaited(suspension, state);
                case IReturnOperation yield when yield.Kind == OperationKind.YieldReturn:
                    sink?.Add(new YieldEvent(yield, state));
                    return state;
                case IObjectCreationOperation creation when creation.Constructor != null:
                    return ContractOnly(creation, creation.Constructor, null, creation.Arguments, state, sink);
                case IFieldReferenceOperation field:
                    return Access(field, field.Field, field.Instance, state, sink);
                case IPropertyReferenceOperation property:
                    state = Access(property, property.Property, property.Instance, state, sink);
                    return Accessors(property, state, sink);
                case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation local:
                    state = Move(state.Forget(FlowKey.ForLocal(local.Local)), assignment.Value, FlowKey.ForLocal(local.Local));
                    return KnownConstant(state, local.Local, assignment.Value);
                case IFlowCaptureOperation capture:
                    return Move(state, capture.Value, FlowKey.ForCapture(capture.Id));
                case IArgumentOperation argument when argument.Parameter?.RefKind is RefKind.Ref or RefKind.Out &&
                                                      argument.Value is ILocalReferenceOperation written && KnownValue(state, written.Local):
                    return state.Forget(FlowKey.ForLocal(written.Local));
                case ICompoundAssignmentOperation compound when compound.Target is ILocalReferenceOperation updated && KnownValue(state, updated.Local):
                    return state.Forget(FlowKey.ForLocal(updated.Local));
                default:
                    return state;
            }
        }

        /// <summary>
        /// Records the calls into this compilation that <paramref name="operation"/> makes (see
        /// <see cref="CallTargets"/>; for a property, the accessors its use runs) when locks are held:
        /// the whole-program graph reads them.
        /// </summary>
        private void RecordHeldCalls(IOperation operation, LockState state, List<LockEvent>? sink)
        {
            if (sink == null || state.Held.IsEmpty)
            {
                return;
            }

            var targets = new List<CallTarget>();
            if (operation is IPropertyReferenceOperation property)
            {
                var use = AccessClassifier.Classify(property, _uses);
                if (use.IsRead || use.IsReturned)
                {
                    CallTargets.Accessor(property, property.Property.GetMethod, targets);
                }

                if (use.IsWrite)
                {
                    CallTargets.Accessor(property, property.Property.SetMethod, targets);
                }
            }
            else
            {
                CallTargets.Of(operation, targets, _semanticModel);
            }

            foreach (var target in targets)
            {
                sink.Add(new HeldCallEvent(operation, state, target));
            }
        }

        /// <summary>
        /// Roslyn's graph does not lower <c>lock</c> on a <c>System.Threading.Lock</c> when nullable
        /// analysis is on: it leaves an invalid operation and the body inline, without the
        /// try/finally. The lock is then held for the statement body (released when control leaves it).
        /// </summary>
        private LockState UnloweredLock(IOperation invalid, LockStatementSyntax lockStatement, LockState state, List<LockEvent>? sink)
        {
            var target = invalid.ChildOperations.First();
            var path = _paths.Get(target);
            if (path == null)
            {
                return state;
            }

            var flavor = _model.Classifier.Classify(KnownLockApis.UnwrapConversions(target).Type);
            var held = new HeldLock(path, flavor, HeldMode.Exclusive, HoldKind.Scoped, target.Syntax.GetLocation(), scope: lockStatement.Statement);
            if (state.Find(path) is HeldLock existing)
            {
                // Re-entered (XL0006 reports it): this statement's level is given up when its body is left.
                sink?.Add(new AcquireEvent(target, state, held, nestingAnnotated: false, excludedByCallee: false, isUpgrade: false));
                return state.With(existing.WithInnerScope(lockStatement.Statement));
            }

            return Acquire(target, held, state, sink, nested: false, excluded: false);
        }

        /// <summary>
        /// A <c>bool</c> local assigned a constant (<c>bool taken = false;</c>) has a known value
        /// that decides no lock (a conditional hold without locks): a later try-acquire assigned to
        /// it is then correlated on every path, including a <c>catch</c> that starts before that
        /// assignment. Not for a local a lambda or local function may assign (by name), nor one
        /// passed by <c>ref</c>/<c>out</c> (forgotten at the call).
        /// </summary>
        private LockState KnownConstant(LockState state, ILocalSymbol local, IOperation value)
        {
            var key = FlowKey.ForLocal(local);
            if (local.Type.SpecialType != SpecialType.System_Boolean || state.Conditionals.ContainsKey(key) ||
                !(KnownLockApis.UnwrapConversions(value).ConstantValue is { HasValue: true, Value: bool constant }) || _uses.MayBeAssignedByLambda(local))
            {
                return state;
            }

            return state.WithConditional(key, new ConditionalHold(ImmutableArray<HeldLock>.Empty, heldWhen: true, alreadyHeld: false, knownValue: constant));
        }

        /// <summary>Forgets what is known about locals passed by <c>ref</c> or <c>out</c> (the callee may assign them).</summary>
        private static LockState ForgetRefArguments(IInvocationOperation call, LockState state)
        {
            foreach (var a in call.Arguments)
            {
                if (a.Parameter != null && (a.Parameter.RefKind == RefKind.Ref || a.Parameter.RefKind == RefKind.Out) &&
                    KnownLockApis.UnwrapConversions(a.Value) is ILocalReferenceOperation l)
                {
                    state = state.Forget(FlowKey.ForLocal(l.Local));
                }
            }

            return state;
        }

        /// <summary>Moves guards and conditional holds registered on a call result to the variable that receives it.</summary>
        private static LockState Move(LockState state, IOperation value, FlowKey to)
        {
            var unwrapped = KnownLockApis.UnwrapConversions(value);
            if (unwrapped is ILocalReferenceOperation local)
            {
                // `using (hold)` captures a guard variable: the capture is disposed, the variable keeps its name.
                return state.Guards.TryGetValue(FlowKey.ForLocal(local.Local), out var shared) ? state.WithGuard(to, shared) : state;
            }

            var from = FlowKey.ForOperation(unwrapped);
            if (state.Guards.TryGetValue(from, out var guard))
            {
                state = state.WithoutGuard(from).WithGuard(to, guard);
            }

            if (state.Conditionals.TryGetValue(from, out var conditional))
            {
                state = new LockState(state.Held, state.Guards, state.Conditionals.Remove(from).SetItem(to, conditional), state.Facts);
            }

            return state;
        }

        /// <summary>
        /// The result of an await is the result of the awaited task: a try-acquire whose boolean
        /// comes back through a task (<c>if (await _gate.WaitAsync(t))</c>, <c>[TryAcquires]</c> on an
        /// async method) is decided by the awaited value, and a <c>[ScopedLock]</c> guard returned
        /// through a task (<c>using (await m.LockAsync())</c>) is held by the awaited value; also
        /// through <c>ConfigureAwait</c> or a task variable.
        /// </summary>
        private static LockState Awaited(IAwaitOperation suspension, LockState state)
        {
            if (state.Conditionals.IsEmpty && state.Guards.IsEmpty)
            {
                return state;
            }

            var awaited = KnownLockApis.UnwrapConversions(suspension.Operation);
            if (awaited is IInvocationOperation configure && configure.TargetMethod.Name == "ConfigureAwait" && configure.Instance != null)
            {
                awaited = KnownLockApis.UnwrapConversions(configure.Instance);
            }

            // A task variable may be awaited again: it keeps what it carries; an expression's is moved.
            var variable = FlagKey(awaited);
            var from = variable ?? FlowKey.ForOperation(awaited);
            var to = FlowKey.ForOperation(suspension);
            if (state.Conditionals.TryGetValue(from, out var conditional))
            {
                var conditionals = variable == null ? state.Conditionals.Remove(from) : state.Conditionals;
                state = new LockState(state.Held, state.Guards, conditionals.SetItem(to, conditional), state.Facts);
            }

            if (state.Guards.TryGetValue(from, out var guard))
            {
                state = (variable == null ? state.WithoutGuard(from) : state).WithGuard(to, guard);
            }

            return state;
        }

        /// <summary><c>T</c> of a <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c> return type, or null.</summary>
        private static ITypeSymbol? TaskResult(ITypeSymbol type) =>
            type is INamedTypeSymbol named && named.TypeArguments.Length == 1 && (named.Name == "Task" || named.Name == "ValueTask") &&
            named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                ? named.TypeArguments[0]
                : null;

        /// <summary>True when <paramref name="local"/> holds a constant this analysis knows (see <see cref="KnownConstant"/>).</summary>
        private static bool KnownValue(LockState state, ILocalSymbol local) =>
            state.Conditionals.TryGetValue(FlowKey.ForLocal(local), out var c) && c.Locks.IsEmpty;

        private LockState Access(IOperation reference, ISymbol member, IOperation? instance, LockState state, List<LockEvent>? sink)
        {
            if (sink == null)
            {
                return state;
            }

            var guard = _model.Contracts.GetGuard(member);
            if (guard == null)
            {
                return state;
            }

            if (AccessClassifier.IsLocklessRead(reference, _model.Known.Volatile))
            {
                return state; // Volatile.Read(ref field): an intentional racy read (READ_ONCE), not an access that needs the lock
            }

            if (AccessClassifier.IsLockTarget(reference, _model.Known.Monitor) && GuardsItself(guard, member))
            {
                return state; // `lock (_pending)` with [GuardedBy("_pending")]: reading the lock to take it needs no lock
            }

            var unmarkedLocklessRead = false;
            if (guard.Lockless != LocklessAccess.None)
            {
                var atomic = AccessClassifier.InterlockedCallOn(reference, _model.Known.Interlocked);
                if (atomic != null && (guard.LocklessAtomics || (guard.LocklessReads && atomic.Name == "Read")))
                {
                    return state; // [GuardedBy(Lockless = Atomics)]: Interlocked.* is an atomic access; Interlocked.Read a marked read
                }

                if (guard.LocklessReads && atomic == null && AccessClassifier.IsPlainRead(reference, _uses) && !CollectionMutators.Mutates(reference, _uses))
                {
                    if (member is IPropertySymbol || (member is IFieldSymbol { IsVolatile: true }))
                    {
                        return state; // [GuardedBy(Lockless = Reads)]: a volatile read (READ_ONCE); a property's getter is checked on its own
                    }

                    unmarkedLocklessRead = true; // a plain read of a non-volatile field is not a marked lockless read
                }
            }

            var use = AccessClassifier.Classify(reference, _uses);
            var instancePath = member.IsStatic ? null : _paths.Get(instance);
            if (!member.IsStatic && instancePath == null)
            {
                return state; // the accessed object has no name here: its locks cannot be checked
            }

            // `_items.Add(x)` on a guarded collection: the reference is read, and the object it names is modified.
            var mutation = !use.IsWrite && CollectionMutators.Mutates(reference, _uses);
            if (use.IsRead || use.IsWrite)
            {
                sink.Add(new GuardedAccessEvent(reference, state, member, guard, instancePath, use.IsRead, use.IsWrite || mutation, returned: false,
                    unmarkedLocklessRead, mutation));
            }

            if (use.IsReturned)
            {
                // `return ref _f;`: the reference outlives the body, so what counts is what its callers
                // hold when they get it (the body's contract at return), not the locks held here.
                sink.Add(new GuardedAccessEvent(reference, _atReturn, member, guard, instancePath, use.ReturnedForRead, use.ReturnedForWrite, returned: true));
            }

            return state;
        }

        /// <summary>True when the read requirement of <paramref name="member"/> names the member itself (an object used as its own lock).</summary>
        private static bool GuardsItself(GuardContract guard, ISymbol member)
        {
            if (guard.Read == null)
            {
                return false;
            }

            foreach (var factor in guard.Read.AllFactors)
            {
                var path = factor.Path;
                if ((path.Kind == PathRootKind.This || path.Kind == PathRootKind.Static) && path.Members.Length == 1 &&
                    SymbolEqualityComparer.Default.Equals(path.Members[0], member.OriginalDefinition))
                {
                    return true;
                }
            }

            return false;
        }

        private LockState Accessors(IPropertyReferenceOperation property, LockState state, List<LockEvent>? sink)
        {
            var use = AccessClassifier.Classify(property, _uses);
            if ((use.IsRead || use.IsReturned) && property.Property.GetMethod is IMethodSymbol getter)
            {
                state = ContractOnly(property, getter, property.Instance, property.Arguments, state, sink);
            }

            if (use.IsWrite && property.Property.SetMethod is IMethodSymbol setter)
            {
                state = ContractOnly(property, setter, property.Instance, property.Arguments, state, sink);
            }

            return state;
        }

        private LockState ContractOnly(IOperation site, IMethodSymbol callee, IOperation? instance, ImmutableArray<IArgumentOperation> arguments,
            LockState state, List<LockEvent>? sink)
        {
            var contract = _model.Contracts.GetMethod(callee);
            if (!contract.AffectsCallers)
            {
                return state;
            }

            var substitution = CallEffects.Substitution(instance, arguments, callee, _paths);
            sink?.Add(new CallEvent(site, state, callee, contract, substitution));
            var effects = new List<LockEffect>();
            CallEffects.FromContract(contract, substitution, effects);
            state = ApplyEffects(site, effects, state, sink, guardKey: null, nested: false, excluded: null);
            return CallEffects.AssertDisjunctions(contract, substitution, state);
        }

        private LockState Call(IInvocationOperation call, LockState state, List<LockEvent>? sink)
        {
            var method = call.TargetMethod;
            if ((method.Name == "Dispose" || method.Name == "DisposeAsync") && method.Parameters.IsEmpty && call.Instance != null)
            {
                var key = GuardKey(call.Instance);
                if (key.HasValue && state.Guards.TryGetValue(key.Value, out var guarded))
                {
                    state = state.WithoutGuard(key.Value);
                    foreach (var path in guarded)
                    {
                        // A guard from a try-acquire holds nothing when the attempt failed: nothing to release then.
                        if (state.Held.TryGetValue(path, out var h))
                        {
                            state = Release(call, path, h.Mode, state, sink, h.Flavor);
                        }
                    }

                    return state;
                }
            }

            state = ForgetRefArguments(call, state);
            var effects = new List<LockEffect>();
            var contract = _inferredContracts ? _model.Inferred.Effective(method) : _model.Contracts.GetMethod(method);
            CallSubstitution? substitution = null;
            if (contract.AffectsCallers)
            {
                substitution = CallEffects.Substitution(call.Instance, call.Arguments, method, _paths);
                sink?.Add(new CallEvent(call, state, method, contract, substitution));
                CallEffects.FromContract(contract, substitution, effects);
            }
            else if (!KnownLockApis.TryGetEffects(call, _model.Known, _model.Classifier, _paths, effects) &&
                     !SemaphoreSlimApi.TryGetEffects(call, _model, _paths, effects))
            {
                return state;
            }

            HashSet<AccessPath>? excluded = null;
            if (substitution != null && !contract.Excludes.IsEmpty)
            {
                excluded = new HashSet<AccessPath>();
                foreach (var f in contract.Excludes)
                {
                    if (substitution.Apply(f.Path) is AccessPath p)
                    {
                        excluded.Add(p);
                    }
                }
            }

            var guardKey = _model.Classifier.IsScopedGuard(method.ReturnType) || _model.Classifier.IsScopedGuard(TaskResult(method.ReturnType))
                ? FlowKey.ForOperation(call)
                : OutGuard(call);
            var nested = method.Name.EndsWith("Nested", System.StringComparison.Ordinal);
            state = ApplyEffects(call, effects, state, sink, guardKey, nested, excluded);
            if (substitution == null && method.ReturnType.SpecialType != SpecialType.System_Void && InfiniteTimeout.Has(call) &&
                effects.Exists(e => e.Kind == EffectKind.Acquire || e.Kind == EffectKind.AcquireWithFlag))
            {
                // A try form with the infinite timeout: its result is always true (a branch on false is infeasible).
                state = state.WithConditional(FlowKey.ForOperation(call), new ConditionalHold(ImmutableArray<HeldLock>.Empty, heldWhen: true, alreadyHeld: true, knownValue: true));
            }

            return substitution == null ? state : CallEffects.AssertDisjunctions(contract, substitution, state);
        }

        private LockState ApplyEffects(IOperation site, List<LockEffect> effects, LockState state, List<LockEvent>? sink,
            FlowKey? guardKey, bool nested, HashSet<AccessPath>? excluded)
        {
            var returnsGuard = guardKey.HasValue;
            var tries = ImmutableArray.CreateBuilder<HeldLock>();
            var trySuccess = true;
            var guardPaths = ImmutableArray.CreateBuilder<AccessPath>();
            var location = site.Syntax.GetLocation();
            foreach (var e in effects)
            {
                switch (e.Kind)
                {
                    case EffectKind.Release:
                        state = Release(site, e.Path, e.Mode, state, sink, e.Flavor);
                        break;
                    case EffectKind.Acquire:
                    case EffectKind.AcquireWithFlag:
                        var kind = returnsGuard ? HoldKind.Scoped : HoldKind.Explicit;
                        state = Acquire(site, new HeldLock(e.Path, e.Flavor, e.Mode, kind, location), state, sink, nested, excluded?.Contains(e.Path) == true);
                        if (returnsGuard)
                        {
                            guardPaths.Add(e.Path);
                        }

                        if (e.Kind == EffectKind.AcquireWithFlag && FlagKey(e.Flag) is FlowKey flag)
                        {
                            state = state.WithConditional(flag, new ConditionalHold(ImmutableArray.Create(new HeldLock(e.Path, e.Flavor, e.Mode, HoldKind.Explicit, location)), heldWhen: true, alreadyHeld: true));
                        }

                        break;
                    case EffectKind.TryAcquire:
                        tries.Add(new HeldLock(e.Path, e.Flavor, e.Mode, returnsGuard ? HoldKind.Scoped : HoldKind.Explicit, location));
                        trySuccess = e.Success;
                        if (returnsGuard)
                        {
                            guardPaths.Add(e.Path);
                        }

                        break;
                    case EffectKind.TryAcquireWithFlag:
                        if (FlagKey(e.Flag) is FlowKey tryFlag)
                        {
                            state = state.WithConditional(tryFlag, new ConditionalHold(ImmutableArray.Create(new HeldLock(e.Path, e.Flavor, e.Mode, HoldKind.Explicit, location)), heldWhen: true, alreadyHeld: false));
                        }

                        break;
                    case EffectKind.Assert:
                        if (state.Find(e.Path) == null)
                        {
                            state = state.With(new HeldLock(e.Path, e.Flavor, e.Mode, HoldKind.Asserted, location));
                        }

                        break;
                }
            }

            if (tries.Count > 0)
            {
                state = state.WithConditional(FlowKey.ForOperation(site), new ConditionalHold(tries.ToImmutable(), trySuccess, alreadyHeld: false));
            }

            if (guardPaths.Count > 0 && guardKey.HasValue)
            {
                state = state.WithGuard(guardKey.Value, guardPaths.ToImmutable());
            }

            return state;
        }

        /// <summary>The variable receiving a <c>[ScopedLock]</c> guard through an <c>out</c> argument, if any.</summary>
        private FlowKey? OutGuard(IInvocationOperation call)
        {
            foreach (var a in call.Arguments)
            {
                if (a.Parameter?.RefKind == RefKind.Out && _model.Classifier.IsScopedGuard(a.Parameter.Type))
                {
                    var value = a.Value is IDeclarationExpressionOperation d ? d.Expression : a.Value;
                    return FlagKey(value);
                }
            }

            return null;
        }

        private static LockState Acquire(IOperation site, HeldLock acquired, LockState state, List<LockEvent>? sink, bool nested, bool excluded)
        {
            var existing = state.Find(acquired.Path);
            var fromUpgradeable = existing != null && existing.Mode == HeldMode.UpgradeableRead && !existing.AlsoRead;
            var isUpgrade = fromUpgradeable && acquired.Mode == HeldMode.Write;
            var isDowngrade = fromUpgradeable && acquired.Mode == HeldMode.Read;
            sink?.Add(new AcquireEvent(site, state, acquired, nested, excluded, isUpgrade || isDowngrade));
            if (isUpgrade)
            {
                return state.With(existing!.WithMode(HeldMode.Write, upgraded: true));
            }

            if (isDowngrade)
            {
                // EnterReadLock inside EnterUpgradeableReadLock: both held, until one is released.
                return state.With(existing!.WithMode(HeldMode.UpgradeableRead, upgraded: false, alsoRead: true));
            }

            return existing != null ? state.With(existing.WithDepth(existing.Depth + 1)) : state.With(acquired);
        }

        private static LockState Release(IOperation site, AccessPath path, HeldMode mode, LockState state, List<LockEvent>? sink,
            LockFlavor flavor = LockFlavor.None)
        {
            sink?.Add(new ReleaseEvent(site, state, path, mode, flavor));
            if (!state.Held.TryGetValue(path, out var held))
            {
                return state;
            }

            if (held.Upgraded && (mode == HeldMode.Write || mode == HeldMode.ReadOrWrite))
            {
                return state.With(held.WithMode(HeldMode.UpgradeableRead, upgraded: false));
            }

            if (held.Depth > 1)
            {
                return state.With(held.WithDepth(held.Depth - 1));
            }

            if (held.AlsoRead)
            {
                // The downgrade's two holds: releasing the upgradeable read leaves the read, and the other way round.
                return state.With(held.WithMode(mode == HeldMode.Read ? HeldMode.UpgradeableRead : HeldMode.Read, upgraded: false));
            }

            return state.Without(path);
        }

        private static FlowKey? GuardKey(IOperation instance) => FlagKey(KnownLockApis.UnwrapConversions(instance));

        private static FlowKey? FlagKey(IOperation? operation) => operation switch
        {
            ILocalReferenceOperation l => FlowKey.ForLocal(l.Local),
            IFlowCaptureReferenceOperation c => FlowKey.ForCapture(c.Id),
            _ => null,
        };
    }
}
