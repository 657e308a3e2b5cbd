using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// What the dataflow saw at one program point, with the lock state just before it. The rule
    /// analyzers turn events into diagnostics; the engine itself knows no rule.
    /// </summary>
    internal abstract class LockEvent
    {
        protected LockEvent(IOperation operation, LockState before)
        {
            Operation = operation;
            Before = before;
        }

        public IOperation Operation { get; }

        /// <summary>The locks held just before the operation.</summary>
        public LockState Before { get; }
    }

    /// <summary>
    /// A read and/or write of a field or property that has <c>[GuardedBy]</c>. For a reference the
    /// body returns (<see cref="Returned"/>), <see cref="LockEvent.Before"/> is the lock set the body
    /// guarantees when it returns (its contract), which is what the caller holds when it uses the reference.
    /// </summary>
    internal sealed class GuardedAccessEvent : LockEvent
    {
        public GuardedAccessEvent(IOperation operation, LockState before, ISymbol member, GuardContract guard,
            AccessPath? instance, bool isRead, bool isWrite, bool returned, bool unmarkedLocklessRead = false, bool isMutation = false)
            : base(operation, before)
        {
            IsMutation = isMutation;
            UnmarkedLocklessRead = unmarkedLocklessRead;
            Member = member;
            Guard = guard;
            Instance = instance;
            IsRead = isRead;
            IsWrite = isWrite;
            Returned = returned;
        }

        /// <summary>Returned by reference (<c>return ref _f;</c>): read and/or written by the callers.</summary>
        public bool Returned { get; }

        /// <summary>
        /// A plain read of a non-volatile field whose <c>[GuardedBy]</c> allows lockless reads: it is
        /// not a marked read, so it still needs the lock, and the message says how to mark it.
        /// </summary>
        public bool UnmarkedLocklessRead { get; }

        /// <summary>
        /// A write because a mutating member of a collection is called on the member's value
        /// (<c>_items.Add(x)</c>, <c>_map[k] = v</c>: see <see cref="CollectionMutators"/>), not an assignment of the member.
        /// </summary>
        public bool IsMutation { get; }

        public ISymbol Member { get; }

        public GuardContract Guard { get; }

        /// <summary>The accessed object (what <c>this</c> in the guard means), or null for a static member.</summary>
        public AccessPath? Instance { get; }

        public bool IsRead { get; }

        public bool IsWrite { get; }
    }

    /// <summary>A call to a method (or accessor) with a contract, its paths substituted for the call site.</summary>
    internal sealed class CallEvent : LockEvent
    {
        public CallEvent(IOperation operation, LockState before, IMethodSymbol callee, MethodContract contract, CallSubstitution substitution)
            : base(operation, before)
        {
            Callee = callee;
            Contract = contract;
            Substitution = substitution;
        }

        public IMethodSymbol Callee { get; }

        public MethodContract Contract { get; }

        /// <summary>Maps the callee's paths to the caller's (null when not expressible).</summary>
        public CallSubstitution Substitution { get; }
    }

    /// <summary>An acquisition of a lock instance.</summary>
    internal sealed class AcquireEvent : LockEvent
    {
        public AcquireEvent(IOperation operation, LockState before, HeldLock acquired, bool nestingAnnotated, bool excludedByCallee, bool isUpgrade)
            : base(operation, before)
        {
            Acquired = acquired;
            NestingAnnotated = nestingAnnotated;
            ExcludedByCallee = excludedByCallee;
            IsUpgrade = isUpgrade;
        }

        public HeldLock Acquired { get; }

        /// <summary>Acquired through a <c>*Nested</c> method (lockdep's subclass annotation).</summary>
        public bool NestingAnnotated { get; }

        /// <summary>The callee's <c>[Excludes]</c> names this lock (XL0012 covers it, not XL0006).</summary>
        public bool ExcludedByCallee { get; }

        /// <summary>A mode change of this thread's upgradeable read hold: a write acquisition on top of it (the upgrade) or a read acquisition (the first step of the downgrade to read). Not a second acquisition.</summary>
        public bool IsUpgrade { get; }
    }

    /// <summary>A release of a lock instance in a given mode.</summary>
    internal sealed class ReleaseEvent : LockEvent
    {
        public ReleaseEvent(IOperation operation, LockState before, AccessPath path, HeldMode mode, LockFlavor flavor = LockFlavor.None)
            : base(operation, before)
        {
            Path = path;
            Mode = mode;
            Flavor = flavor;
        }

        public AccessPath Path { get; }

        /// <summary>The kind of lock released (<see cref="LockFlavor.None"/> when not known: a guard's disposal).</summary>
        public LockFlavor Flavor { get; }

        /// <summary>
        /// The mode released: <see cref="HeldMode.ReadOrWrite"/> for a mode-less <c>[Releases]</c> of a
        /// reader-writer lock (whatever mode it is held in), <see cref="HeldMode.Unknown"/> for a contract
        /// already reported as XL0005.
        /// </summary>
        public HeldMode Mode { get; }
    }

    /// <summary>A lambda is created here; it may start from the locks held at this point (see <see cref="NestedBodyEntry"/>).</summary>
    internal sealed class LambdaCreationEvent : LockEvent
    {
        public LambdaCreationEvent(IFlowAnonymousFunctionOperation operation, LockState before)
            : base(operation, before)
        {
            Lambda = operation;
        }

        public IFlowAnonymousFunctionOperation Lambda { get; }
    }

    /// <summary>
    /// A call of a local function, or an invocation of a delegate held in a local
    /// (<c>f()</c>, <c>f.Invoke()</c>): a local function or lambda run only from such calls starts
    /// from the locks held at them (see <see cref="NestedBodyEntry"/>).
    /// </summary>
    internal sealed class InlineInvocationEvent : LockEvent
    {
        public InlineInvocationEvent(IOperation operation, LockState before, ISymbol target)
            : base(operation, before)
        {
            Target = target;
        }

        /// <summary>The local function called, or the local whose delegate is invoked.</summary>
        public ISymbol Target { get; }
    }

    /// <summary>Locks held on some incoming paths of a join and not on others.</summary>
    internal sealed class JoinEvent : LockEvent
    {
        public JoinEvent(IOperation operation, LockState before, ImmutableArray<HeldLock> inconsistent, Location joinLocation)
            : base(operation, before)
        {
            Inconsistent = inconsistent;
            JoinLocation = joinLocation;
        }

        public ImmutableArray<HeldLock> Inconsistent { get; }

        public Location JoinLocation { get; }
    }

    /// <summary>The state on one normal exit (return or end) of a body, with what the contract expects.</summary>
    internal sealed class ExitEvent : LockEvent
    {
        public ExitEvent(IOperation operation, LockState before, ImmutableArray<HeldLock> expected, ImmutableArray<AccessPath> optional,
            Location methodLocation, string methodName)
            : base(operation, before)
        {
            Expected = expected;
            Optional = optional;
            MethodLocation = methodLocation;
            MethodName = methodName;
        }

        /// <summary>What <c>[Requires]</c> and <c>[Acquires]</c> say is held at exit.</summary>
        public ImmutableArray<HeldLock> Expected { get; }

        /// <summary>Locks the method may hold at exit: its own <c>[TryAcquires]</c> (held when it reports success).</summary>
        public ImmutableArray<AccessPath> Optional { get; }

        public Location MethodLocation { get; }

        public string MethodName { get; }
    }
}
