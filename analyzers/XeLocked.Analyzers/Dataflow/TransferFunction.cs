using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The transfer function of the lock-set dataflow: evaluates one operation tree (children
    /// first, in evaluation order) against a <see cref="LockState"/>, applying acquisitions,
    /// releases, try-acquires, assertions and guard disposal, and (in the reporting pass) recording
    /// <see cref="LockEvent"/>s for the rules.
    /// </summary>
    internal sealed class TransferFunction
    {
        private readonly CompilationModel _model;
        private readonly PathBuilder _paths;

        public TransferFunction(CompilationModel model, PathBuilder paths)
        {
            _model = model;
            _paths = paths;
        }

        public PathBuilder Paths => _paths;

        /// <summary>Evaluates <paramref name="operation"/>; events go to <paramref name="sink"/> when it is not null.</summary>
        public LockState Apply(IOperation operation, LockState state, List<LockEvent>? sink)
        {
            switch (operation)
            {
                case IFlowAnonymousFunctionOperation:
                case IAnonymousFunctionOperation:
                case ILocalFunctionOperation:
                    return state; // separate bodies, analyzed on their own
            }

            foreach (var child in operation.ChildOperations)
            {
                state = Apply(child, state, sink);
            }

            switch (operation)
            {
                case IInvocationOperation call:
                    return Call(call, state, sink);
                case IObjectCreationOperation creation when creation.Constructor != null:
                    return ContractOnly(creation, creation.Constructor, null, creation.Arguments, state, sink);
                case IFieldReferenceOperation field:
                    return Access(field, field.Field, field.Instance, state, sink);
                case IPropertyReferenceOperation property:
                    state = Access(property, property.Property, property.Instance, state, sink);
                    return Accessors(property, state, sink);
                case ISimpleAssignmentOperation assignment when assignment.Target is ILocalReferenceOperation local:
                    return Move(state.Forget(FlowKey.ForLocal(local.Local)), assignment.Value, FlowKey.ForLocal(local.Local));
                case IFlowCaptureOperation capture:
                    return Move(state, capture.Value, FlowKey.ForCapture(capture.Id));
                default:
                    return state;
            }
        }

        /// <summary>Moves guards and conditional holds registered on a call result to the variable that receives it.</summary>
        private static LockState Move(LockState state, IOperation value, FlowKey to)
        {
            var from = FlowKey.ForOperation(KnownLockApis.UnwrapConversions(value));
            if (state.Guards.TryGetValue(from, out var guard))
            {
                state = state.WithoutGuard(from).WithGuard(to, guard);
            }

            if (state.Conditionals.TryGetValue(from, out var conditional))
            {
                state = new LockState(state.Held, state.Guards, state.Conditionals.Remove(from).SetItem(to, conditional));
            }

            return state;
        }

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

            var (isRead, isWrite) = AccessClassifier.Classify(reference);
            var instancePath = member.IsStatic ? null : _paths.Get(instance);
            if (!member.IsStatic && instancePath == null)
            {
                return state; // the accessed object has no name here: its locks cannot be checked
            }

            sink.Add(new GuardedAccessEvent(reference, state, member, guard, instancePath, isRead, isWrite));
            return state;
        }

        private LockState Accessors(IPropertyReferenceOperation property, LockState state, List<LockEvent>? sink)
        {
            var (isRead, isWrite) = AccessClassifier.Classify(property);
            if (isRead && property.Property.GetMethod is IMethodSymbol getter)
            {
                state = ContractOnly(property, getter, property.Instance, property.Arguments, state, sink);
            }

            if (isWrite && property.Property.SetMethod is IMethodSymbol setter)
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
            return ApplyEffects(site, effects, state, sink, returnsGuard: false, nested: false, excluded: null);
        }

        private LockState Call(IInvocationOperation call, LockState state, List<LockEvent>? sink)
        {
            var method = call.TargetMethod;
            if (method.Name == "Dispose" && method.Parameters.IsEmpty && call.Instance != null)
            {
                var key = GuardKey(call.Instance);
                if (key.HasValue && state.Guards.TryGetValue(key.Value, out var guarded))
                {
                    state = state.WithoutGuard(key.Value);
                    foreach (var path in guarded)
                    {
                        var mode = state.Held.TryGetValue(path, out var h) ? h.Mode : HeldMode.Unknown;
                        state = Release(call, path, mode, state, sink);
                    }

                    return state;
                }
            }

            var effects = new List<LockEffect>();
            var contract = _model.Contracts.GetMethod(method);
            CallSubstitution? substitution = null;
            if (contract.AffectsCallers)
            {
                substitution = CallEffects.Substitution(call.Instance, call.Arguments, method, _paths);
                sink?.Add(new CallEvent(call, state, method, contract, substitution));
                CallEffects.FromContract(contract, substitution, effects);
            }
            else if (!KnownLockApis.TryGetEffects(call, _model.Known, _model.Classifier, _paths, effects))
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

            var returnsGuard = _model.Classifier.IsScopedGuard(method.ReturnType);
            var nested = method.Name.EndsWith("Nested", System.StringComparison.Ordinal);
            return ApplyEffects(call, effects, state, sink, returnsGuard, nested, excluded);
        }

        private LockState ApplyEffects(IOperation site, List<LockEffect> effects, LockState state, List<LockEvent>? sink,
            bool returnsGuard, bool nested, HashSet<AccessPath>? excluded)
        {
            var tries = ImmutableArray.CreateBuilder<HeldLock>();
            var trySuccess = true;
            var guardPaths = ImmutableArray.CreateBuilder<AccessPath>();
            var location = site.Syntax.GetLocation();
            foreach (var e in effects)
            {
                switch (e.Kind)
                {
                    case EffectKind.Release:
                        state = Release(site, e.Path, e.Mode, state, sink);
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
                        tries.Add(new HeldLock(e.Path, e.Flavor, e.Mode, HoldKind.Explicit, location));
                        trySuccess = e.Success;
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

            if (guardPaths.Count > 0)
            {
                state = state.WithGuard(FlowKey.ForOperation(site), guardPaths.ToImmutable());
            }

            return state;
        }

        private static LockState Acquire(IOperation site, HeldLock acquired, LockState state, List<LockEvent>? sink, bool nested, bool excluded)
        {
            var existing = state.Find(acquired.Path);
            var isUpgrade = existing != null && existing.Mode == HeldMode.UpgradeableRead && acquired.Mode == HeldMode.Write;
            sink?.Add(new AcquireEvent(site, state, acquired, nested, excluded, isUpgrade));
            if (isUpgrade)
            {
                return state.With(existing!.WithMode(HeldMode.Write, upgraded: true));
            }

            return existing != null ? state.With(existing.WithDepth(existing.Depth + 1)) : state.With(acquired);
        }

        private static LockState Release(IOperation site, AccessPath path, HeldMode mode, LockState state, List<LockEvent>? sink)
        {
            sink?.Add(new ReleaseEvent(site, state, path, mode));
            if (!state.Held.TryGetValue(path, out var held))
            {
                return state;
            }

            if (held.Upgraded && mode == HeldMode.Write)
            {
                return state.With(held.WithMode(HeldMode.UpgradeableRead, upgraded: false));
            }

            if (held.Depth > 1)
            {
                return state.With(held.WithDepth(held.Depth - 1));
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
