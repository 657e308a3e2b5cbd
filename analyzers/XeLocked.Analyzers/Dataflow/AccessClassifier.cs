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

        private static bool IsWritten(IOperation operation) => Classify(operation).IsWrite;
    }
}
