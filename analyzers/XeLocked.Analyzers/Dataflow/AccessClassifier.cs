using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Decides whether a field or property reference reads, writes, or does both: plain and
    /// compound assignment, <c>++</c>/<c>--</c>, <c>ref</c>/<c>out</c> arguments, deconstruction
    /// targets, and writes through a value-type member (<c>s.Field.X = 1</c> writes <c>Field</c>).
    /// </summary>
    internal static class AccessClassifier
    {
        public static (bool IsRead, bool IsWrite) Classify(IOperation reference)
        {
            var current = reference;
            for (var depth = 0; depth < 16; depth++)
            {
                var parent = current.Parent;
                switch (parent)
                {
                    case ISimpleAssignmentOperation s when s.Target == current:
                        return s.IsRef ? (true, true) : (false, true);
                    case ICompoundAssignmentOperation c when c.Target == current:
                        return (true, true);
                    case ICoalesceAssignmentOperation c when c.Target == current:
                        return (true, true);
                    case IIncrementOrDecrementOperation:
                        return (true, true);
                    case IArgumentOperation a when a.Parameter != null:
                        return a.Parameter.RefKind switch
                        {
                            RefKind.Out => (false, true),
                            RefKind.Ref => (true, true),
                            _ => (true, false),
                        };
                    case ITupleOperation t when t.Parent is IDeconstructionAssignmentOperation d && d.Target == t:
                        return (false, true);
                    case IFieldReferenceOperation f when f.Instance == current && current.Type?.IsValueType == true:
                    case IPropertyReferenceOperation p when p.Instance == current && current.Type?.IsValueType == true && IsWritten(p):
                        // Writing a member of a struct stored in the guarded member writes the guarded member.
                        if (!IsWritten(parent))
                        {
                            return (true, false);
                        }

                        current = parent;
                        continue;
                    default:
                        return (true, false);
                }
            }

            return (true, false);
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

        private static bool IsWritten(IOperation operation) => Classify(operation).IsWrite;
    }
}
