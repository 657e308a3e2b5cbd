using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// How one field or property reference is used: read, written, or both where it is evaluated,
    /// and read and/or written through a reference that the body returns (<c>return ref _f;</c>),
    /// which is checked against the locks held when the body returns rather than where it is.
    /// </summary>
    internal readonly struct AccessUse
    {
        public static readonly AccessUse Read = new AccessUse(true, false, false, false);
        public static readonly AccessUse Write = new AccessUse(false, true, false, false);
        public static readonly AccessUse ReadWrite = new AccessUse(true, true, false, false);

        public AccessUse(bool isRead, bool isWrite, bool returnedForRead, bool returnedForWrite)
        {
            IsRead = isRead;
            IsWrite = isWrite;
            ReturnedForRead = returnedForRead;
            ReturnedForWrite = returnedForWrite;
        }

        /// <summary>Read where it is evaluated.</summary>
        public bool IsRead { get; }

        /// <summary>Written where it is evaluated (this includes a writable reference taken to it).</summary>
        public bool IsWrite { get; }

        /// <summary>Returned by <c>ref readonly</c> or <c>ref</c>: its callers may read it.</summary>
        public bool ReturnedForRead { get; }

        /// <summary>Returned by (writable) <c>ref</c>: its callers may write it.</summary>
        public bool ReturnedForWrite { get; }

        /// <summary>Returned by reference at all.</summary>
        public bool IsReturned => ReturnedForRead || ReturnedForWrite;

        /// <summary>This use as a return by reference.</summary>
        public AccessUse AsReturned() => new AccessUse(false, false, IsRead, IsWrite);

        public AccessUse Union(AccessUse other) => new AccessUse(
            IsRead || other.IsRead, IsWrite || other.IsWrite, ReturnedForRead || other.ReturnedForRead, ReturnedForWrite || other.ReturnedForWrite);
    }

    /// <summary>
    /// Decides whether a field or property reference reads, writes, or does both: plain and
    /// compound assignment, <c>++</c>/<c>--</c>, <c>ref</c>/<c>out</c> arguments, deconstruction
    /// targets, writes through a value-type member (<c>s.Field.X = 1</c> writes <c>Field</c>),
    /// references bound to it (<c>ref int r = ref _f;</c> writes, <c>ref readonly</c> reads) and
    /// references returned to it (<c>return ref _f;</c>). Through the flow captures of the control-flow
    /// graph (<c>ref (c ? ref _a : ref _b)</c>, <c>_a = c ? 1 : 2</c>) the use is that of the
    /// capture's references, when <see cref="FlowUses"/> are given.
    /// </summary>
    internal static class AccessClassifier
    {
        private const int MaxDepth = 16;

        /// <summary>How <paramref name="reference"/> is used; <paramref name="uses"/> follows captures and returns.</summary>
        public static AccessUse Classify(IOperation reference, FlowUses? uses = null) => Classify(reference, uses, 0);

        private static AccessUse Classify(IOperation reference, FlowUses? uses, int depth)
        {
            var current = reference;
            for (; depth < MaxDepth; depth++)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case ISimpleAssignmentOperation s when s.Target == current:
                        return s.IsRef ? AccessUse.ReadWrite : AccessUse.Write;
                    case ISimpleAssignmentOperation s when s.IsRef && s.Value == current:
                        // `ref int r = ref _f;`, `r = ref _f;`, a ref field or ref parameter re-pointed at it: the
                        // location escapes into a reference, with the capability of that reference. What is done
                        // through the reference later is not followed.
                        return ByReference(RefKindOf(s.Target));
                    case ICompoundAssignmentOperation c when c.Target == current:
                        return AccessUse.ReadWrite;
                    case ICoalesceAssignmentOperation c when c.Target == current:
                        return AccessUse.ReadWrite;
                    case IIncrementOrDecrementOperation:
                        return AccessUse.ReadWrite;
                    case IArgumentOperation a when a.Parameter != null:
                        return a.Parameter.RefKind switch
                        {
                            RefKind.Out => AccessUse.Write,
                            RefKind.Ref => AccessUse.ReadWrite,
                            _ => AccessUse.Read,
                        };
                    case ITupleOperation t when t.Parent is IDeconstructionAssignmentOperation d && d.Target == t:
                        return AccessUse.Write;
                    case IFlowCaptureOperation capture when uses != null && capture.Value == current:
                        return CaptureUses(capture, uses, depth);
                    case null when uses != null && uses.IsReturnedByReference(current):
                        return ByReference(uses.ReturnRefKind).AsReturned();
                    case IFieldReferenceOperation f when f.Instance == current && current.Type?.IsValueType == true:
                    case IPropertyReferenceOperation p when p.Instance == current && current.Type?.IsValueType == true:
                        // A member of a struct stored in the guarded member is used as the guarded member:
                        // writing it (or taking a writable reference to it) writes the guarded member.
                        current = parent;
                        continue;
                    default:
                        return AccessUse.Read;
                }
            }

            return AccessUse.Read;
        }

        /// <summary>
        /// True when <paramref name="reference"/> is an explicit lockless read: a field reference whose
        /// only use is as the location argument of <c>System.Threading.Volatile.Read</c>
        /// (<c>Volatile.Read(ref _field)</c>), C#'s spelling of the kernel's <c>READ_ONCE</c>. Such a
        /// read is an intentional racy read (as KCSAN treats <c>READ_ONCE</c>/<c>data_race()</c>) and
        /// needs no lock. The field must be the argument itself: <c>Volatile.Read(ref s.Guarded.X)</c>
        /// (a member of a guarded struct), <c>Volatile.Write</c>, <c>Interlocked.*</c>, a <c>ref</c> to
        /// any other method and property accesses are not lockless reads.
        /// </summary>
        public static bool IsLocklessRead(IOperation reference, INamedTypeSymbol? volatileType)
        {
            return volatileType != null &&
                reference is IFieldReferenceOperation &&
                reference.Parent is IArgumentOperation argument &&
                argument.Value == reference &&
                argument.Parameter is IParameterSymbol parameter &&
                parameter.RefKind != RefKind.Out &&
                parameter.ContainingSymbol is IMethodSymbol method &&
                method.Name == "Read" &&
                SymbolEqualityComparer.Default.Equals(method.ContainingType, volatileType);
        }

        /// <summary>
        /// The <c>System.Threading.Interlocked</c> method whose location argument is the field
        /// <paramref name="reference"/> itself (<c>Interlocked.Increment(ref _f)</c>), or null.
        /// </summary>
        public static IMethodSymbol? InterlockedCallOn(IOperation reference, INamedTypeSymbol? interlockedType)
        {
            return interlockedType != null &&
                reference is IFieldReferenceOperation &&
                reference.Parent is IArgumentOperation argument &&
                argument.Value == reference &&
                argument.Parameter is IParameterSymbol parameter &&
                parameter.RefKind != RefKind.None &&
                parameter.ContainingSymbol is IMethodSymbol method &&
                SymbolEqualityComparer.Default.Equals(method.ContainingType, interlockedType)
                ? method
                : null;
        }

        /// <summary>
        /// True when <paramref name="reference"/> reads the value of the member and nothing else: not
        /// a write, not a reference taken to it (<c>in</c>/<c>ref</c> arguments, <c>ref readonly</c>
        /// locals), not returned by reference. For a <c>volatile</c> field this is a volatile read.
        /// </summary>
        public static bool IsPlainRead(IOperation reference, FlowUses? uses)
        {
            var use = Classify(reference, uses);
            if (!use.IsRead || use.IsWrite || use.IsReturned)
            {
                return false;
            }

            return reference.Parent switch
            {
                IArgumentOperation a => a.Parameter == null || a.Parameter.RefKind == RefKind.None,
                ISimpleAssignmentOperation s => !s.IsRef,
                _ => true,
            };
        }

        /// <summary>
        /// True when <paramref name="reference"/> is evaluated only to name the object to lock: the
        /// expression of a <c>lock</c> statement (lowered or not), or the object argument of a
        /// <c>System.Threading.Monitor</c> method (<c>Enter</c>, <c>TryEnter</c>, <c>Exit</c>, ...).
        /// </summary>
        public static bool IsLockTarget(IOperation reference, INamedTypeSymbol? monitorType)
        {
            if (reference.Syntax.Parent is LockStatementSyntax statement && statement.Expression == reference.Syntax)
            {
                return true;
            }

            var current = reference;
            while (current.Parent is IConversionOperation conversion && conversion.OperatorMethod == null)
            {
                current = conversion;
            }

            return monitorType != null &&
                current.Parent is IArgumentOperation argument &&
                argument.Parameter is IParameterSymbol parameter &&
                parameter.Ordinal == 0 &&
                parameter.ContainingSymbol is IMethodSymbol method &&
                SymbolEqualityComparer.Default.Equals(method.ContainingType, monitorType);
        }

        /// <summary>
        /// A location captured by the graph (the arm of a <c>ref</c> conditional, the target of an
        /// assignment whose value has control flow) is used where the capture is referenced: every use counts.
        /// A captured value (not a location) is only ever read through its references.
        /// </summary>
        private static AccessUse CaptureUses(IFlowCaptureOperation capture, FlowUses uses, int depth)
        {
            var references = uses.UsesOf(capture.Id);
            if (references.Count == 0)
            {
                return AccessUse.Read;
            }

            var result = new AccessUse(false, false, false, false);
            foreach (var r in references)
            {
                result = result.Union(Classify(r, uses, depth + 1));
            }

            return result;
        }

        /// <summary>A location bound to a reference of <paramref name="kind"/>: a writable reference can write it, a readonly one read it.</summary>
        private static AccessUse ByReference(RefKind kind) =>
            kind == RefKind.RefReadOnly || kind == RefKind.RefReadOnlyParameter ? AccessUse.Read : AccessUse.ReadWrite;

        /// <summary>The kind of the reference a ref assignment re-points; writable when unknown.</summary>
        private static RefKind RefKindOf(IOperation target) => target switch
        {
            ILocalReferenceOperation l => l.Local.RefKind,
            IFieldReferenceOperation f => f.Field.RefKind,
            IParameterReferenceOperation p => p.Parameter.RefKind,
            _ => RefKind.Ref,
        };
    }
}
