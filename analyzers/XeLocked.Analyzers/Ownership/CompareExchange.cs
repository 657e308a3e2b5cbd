using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// <c>Interlocked.CompareExchange(ref location, value, comparand)</c> publishes <c>value</c> only
    /// when it returns <c>comparand</c> (it stored it); when it returns anything else it stored
    /// nothing, and <c>value</c> is as private as before. A branch on the result tells the two apart:
    /// <c>is null</c>, <c>is not null</c>, <c>== null</c>, <c>!= null</c>, <c>== comparand</c>,
    /// <c>!= comparand</c>, <c>!(…)</c> of those, with the call itself or a local assigned its result
    /// just before (<c>var prev = Interlocked.CompareExchange(…); if (prev != null) …</c>), where the
    /// comparand is <c>null</c>, or a local or parameter compared by name (and not assigned between the call and the test).
    /// </summary>
    internal static class CompareExchange
    {
        /// <summary><paramref name="argument"/> is the <c>value</c> argument of <c>Interlocked.CompareExchange</c>.</summary>
        public static bool IsValueArgument(IArgumentOperation argument) =>
            argument.Parent is IInvocationOperation call && IsCompareExchange(call) && argument.Parameter?.Ordinal == 1;

        /// <summary><paramref name="call"/> is <c>System.Threading.Interlocked.CompareExchange</c> (of a reference type).</summary>
        public static bool IsCompareExchange(IInvocationOperation call) =>
            call.TargetMethod.Name == "CompareExchange" && call.Arguments.Length == 3 &&
            call.TargetMethod.ContainingType?.ToDisplayString() == "System.Threading.Interlocked" &&
            call.TargetMethod.ReturnType.IsReferenceType;

        /// <summary>
        /// When <paramref name="condition"/> tests the result of a <c>CompareExchange</c> against its
        /// comparand, the call and whether the condition being true means it lost (stored nothing);
        /// <paramref name="assignments"/> are the operations before the test in its block, searched for
        /// <c>prev = Interlocked.CompareExchange(…)</c>.
        /// </summary>
        public static bool TryDecide(IOperation condition, System.Collections.Immutable.ImmutableArray<IOperation> assignments,
            out IInvocationOperation? call, out bool lostWhenTrue)
        {
            call = null;
            lostWhenTrue = false;
            var negated = false;
            condition = KnownLockApis.UnwrapConversions(condition);
            while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, OperatorMethod: null } not)
            {
                negated = !negated;
                condition = KnownLockApis.UnwrapConversions(not.Operand);
            }

            IOperation tested;
            IOperation? against;
            bool equalWhenTrue;
            switch (condition)
            {
                case IIsNullOperation isNull:
                    (tested, against, equalWhenTrue) = (isNull.Operand, null, true);
                    break;
                case IIsPatternOperation { Pattern: IConstantPatternOperation constant } pattern when IsNull(constant.Value):
                    (tested, against, equalWhenTrue) = (pattern.Value, null, true);
                    break;
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IConstantPatternOperation constant } } pattern when IsNull(constant.Value):
                    (tested, against, equalWhenTrue) = (pattern.Value, null, false);
                    break;
                case IBinaryOperation { OperatorMethod: null } binary when binary.OperatorKind == BinaryOperatorKind.Equals || binary.OperatorKind == BinaryOperatorKind.NotEquals:
                    var rightIsOther = IsNull(binary.RightOperand) || !(Result(binary.RightOperand, assignments) is IInvocationOperation);
                    (tested, against) = rightIsOther ? (binary.LeftOperand, binary.RightOperand) : (binary.RightOperand, binary.LeftOperand);
                    equalWhenTrue = binary.OperatorKind == BinaryOperatorKind.Equals;
                    break;
                default:
                    return false;
            }

            if (!(Result(tested, assignments) is IInvocationOperation exchange) || !Matches(exchange.Arguments[2].Value, against))
            {
                return false;
            }

            call = exchange;
            lostWhenTrue = equalWhenTrue == negated;
            return true;
        }

        /// <summary>The <c>CompareExchange</c> call <paramref name="value"/> is, or whose result a local assigned just before holds.</summary>
        private static IInvocationOperation? Result(IOperation value, System.Collections.Immutable.ImmutableArray<IOperation> assignments)
        {
            value = KnownLockApis.UnwrapConversions(value);
            if (value is IInvocationOperation call && IsCompareExchange(call))
            {
                return call;
            }

            if (value is ILocalReferenceOperation local)
            {
                for (var i = assignments.Length - 1; i >= 0; i--)
                {
                    if (assignments[i] is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment } statement &&
                        assignment.Target is ILocalReferenceOperation target && SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
                    {
                        return KnownLockApis.UnwrapConversions(assignment.Value) is IInvocationOperation exchange && IsCompareExchange(exchange) ? exchange : null;
                    }

                    if (assignments[i] is ISimpleAssignmentOperation direct && direct.Target is ILocalReferenceOperation t &&
                        SymbolEqualityComparer.Default.Equals(t.Local, local.Local))
                    {
                        return KnownLockApis.UnwrapConversions(direct.Value) is IInvocationOperation exchange && IsCompareExchange(exchange) ? exchange : null;
                    }
                }
            }

            return null;
        }

        /// <summary>The tested value is compared with the call's comparand: both <c>null</c>, or the same local or parameter (a field may have changed since).</summary>
        private static bool Matches(IOperation comparand, IOperation? against)
        {
            if (IsNull(comparand))
            {
                return against == null || IsNull(against);
            }

            if (against == null)
            {
                return false;
            }

            return Named(comparand) is ISymbol a && Named(against) is ISymbol b && SymbolEqualityComparer.Default.Equals(a, b);
        }

        private static ISymbol? Named(IOperation operation) => KnownLockApis.UnwrapConversions(operation) switch
        {
            ILocalReferenceOperation l => l.Local,
            IParameterReferenceOperation p => p.Parameter,
            _ => null,
        };

        private static bool IsNull(IOperation operation)
        {
            operation = KnownLockApis.UnwrapConversions(operation);
            return operation.ConstantValue.HasValue && operation.ConstantValue.Value == null;
        }
    }
}
