using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// A try-acquire whose timeout argument is the constant infinite timeout cannot return false
    /// (it waits until it acquires, or throws): <c>-1</c> or <c>Timeout.Infinite</c> as an
    /// <c>int</c>, or the field <c>System.Threading.Timeout.InfiniteTimeSpan</c>. Such a call is an
    /// unconditional acquisition.
    /// </summary>
    internal static class InfiniteTimeout
    {
        /// <summary>True when one argument of <paramref name="call"/> is a timeout (an <c>int</c> or
        /// <c>TimeSpan</c> parameter, not the lock itself) whose value is the constant infinite timeout.</summary>
        public static bool Has(IInvocationOperation call)
        {
            foreach (var a in call.Arguments)
            {
                if (a.Parameter == null || a.Parameter.RefKind != RefKind.None)
                {
                    continue;
                }

                var type = a.Parameter.Type;
                var value = KnownLockApis.UnwrapConversions(a.Value);
                if (type.SpecialType == SpecialType.System_Int32 && value.ConstantValue.HasValue && value.ConstantValue.Value is int ms && ms == -1)
                {
                    return true;
                }

                if (IsTimeSpan(type) && value is IFieldReferenceOperation f && f.Field.IsStatic && f.Field.Name == "InfiniteTimeSpan" &&
                    f.Field.ContainingType is { Name: "Timeout", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTimeSpan(ITypeSymbol type) =>
            type is INamedTypeSymbol { Name: "TimeSpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }
}
