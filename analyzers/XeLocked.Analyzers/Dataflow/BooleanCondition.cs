using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Peels one layer of a branch condition that only restates or negates a boolean: an implicit
    /// conversion, <c>!x</c>, a comparison with a boolean constant (<c>x == false</c>,
    /// <c>x != true</c>, <c>false == x</c>) or a constant pattern (<c>x is false</c>,
    /// <c>x is not true</c>).
    /// </summary>
    internal static class BooleanCondition
    {
        /// <summary>How many layers <see cref="Core"/> peels at the most.</summary>
        private const int MaxLayers = 8;

        /// <summary>
        /// <paramref name="condition"/> with every layer that restates or negates a boolean peeled
        /// (<see cref="Peel"/>, and explicit conversions that call no user operator), at most
        /// <see cref="MaxLayers"/> of them; null when there are more. <paramref name="negated"/> is
        /// true when the layers peeled negate the result an odd number of times.
        /// </summary>
        public static IOperation? Core(IOperation condition, out bool negated)
        {
            negated = false;
            for (var depth = 0; depth < MaxLayers; depth++)
            {
                if (Peel(condition, out var negates) is IOperation operand)
                {
                    negated ^= negates;
                    condition = operand;
                }
                else if (condition is IConversionOperation c && c.OperatorMethod == null)
                {
                    condition = c.Operand;
                }
                else
                {
                    return condition;
                }
            }

            return null;
        }

        /// <summary>The operand of <paramref name="condition"/> when it is such a layer (null otherwise);
        /// <paramref name="negates"/> is true when the layer is true exactly where its operand is false.</summary>
        public static IOperation? Peel(IOperation condition, out bool negates)
        {
            negates = false;
            switch (condition)
            {
                case IConversionOperation c when c.OperatorMethod == null && c.IsImplicit:
                    return c.Operand;
                case IUnaryOperation u when u.OperatorKind == UnaryOperatorKind.Not && u.OperatorMethod == null:
                    negates = true;
                    return u.Operand;
                case IBinaryOperation b when b.OperatorMethod == null && !b.IsLifted &&
                                             (b.OperatorKind == BinaryOperatorKind.Equals || b.OperatorKind == BinaryOperatorKind.NotEquals):
                {
                    IOperation operand;
                    bool constant;
                    if (BoolConstant(b.RightOperand) is bool right && IsBool(b.LeftOperand))
                    {
                        operand = b.LeftOperand;
                        constant = right;
                    }
                    else if (BoolConstant(b.LeftOperand) is bool left && IsBool(b.RightOperand))
                    {
                        operand = b.RightOperand;
                        constant = left;
                    }
                    else
                    {
                        return null;
                    }

                    // x == true and x != false restate x; x == false and x != true negate it.
                    negates = (b.OperatorKind == BinaryOperatorKind.Equals) != constant;
                    return operand;
                }

                case IIsPatternOperation p when IsBool(p.Value):
                {
                    var pattern = p.Pattern;
                    var not = false;
                    if (pattern is INegatedPatternOperation n)
                    {
                        not = true;
                        pattern = n.Pattern;
                    }

                    if (pattern is IConstantPatternOperation c && BoolConstant(c.Value) is bool constant)
                    {
                        negates = not == constant;
                        return p.Value;
                    }

                    return null;
                }

                default:
                    return null;
            }
        }

        private static bool? BoolConstant(IOperation operation) =>
            operation.ConstantValue.HasValue && operation.ConstantValue.Value is bool b && operation.Type?.SpecialType == SpecialType.System_Boolean ? b : null;

        private static bool IsBool(IOperation operation) => operation.Type?.SpecialType == SpecialType.System_Boolean;
    }
}
