using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// The releaser idiom of async locks built on <c>SemaphoreSlim</c>: a method waits on the
    /// semaphore and returns a disposable (<c>Task&lt;IDisposable&gt; LockAsync()</c>), whose
    /// <c>Dispose</c> releases it. Without annotations the analysis cannot tie the two together, so
    /// a semaphore held when such a method returns is handed to the disposable (not XL0008), and a
    /// semaphore released by a <c>Dispose</c>/<c>DisposeAsync</c> that does not hold it is the
    /// releaser's job (not XL0007). With <c>[Acquires]</c> and a <c>[ScopedLock]</c> releaser the
    /// pattern is checked end to end instead.
    /// </summary>
    internal static class SemaphoreReleasers
    {
        /// <summary>True when <paramref name="method"/> returns a disposable, or a task of one.</summary>
        public static bool ReturnsDisposable(IMethodSymbol method)
        {
            var type = method.ReturnType;
            if (type is INamedTypeSymbol task && (task.Name == "Task" || task.Name == "ValueTask") &&
                task.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
            {
                // Task is itself IDisposable: only the value it carries counts.
                if (task.TypeArguments.Length != 1)
                {
                    return false;
                }

                type = task.TypeArguments[0];
            }

            return IsDisposable(type);
        }

        /// <summary>True for <c>Dispose()</c> or <c>DisposeAsync()</c> of a disposable type.</summary>
        public static bool IsDisposeMethod(IMethodSymbol method) =>
            (method.Name == "Dispose" || method.Name == "DisposeAsync") && method.Parameters.IsEmpty &&
            method.ContainingType != null && IsDisposable(method.ContainingType);

        /// <summary>True when the lock <paramref name="path"/> names is a <c>SemaphoreSlim</c>.</summary>
        public static bool IsSemaphore(CompilationModel model, AccessPath path)
        {
            var type = path.LastMember != null ? PathResolver.MemberType(path.LastMember) : (path.Root as IParameterSymbol)?.Type;
            return type != null && model.Known.SemaphoreSlim != null && SymbolEqualityComparer.Default.Equals(type, model.Known.SemaphoreSlim);
        }

        private static bool IsDisposable(ITypeSymbol type)
        {
            if (IsDisposableInterface(type))
            {
                return true;
            }

            foreach (var i in type.AllInterfaces)
            {
                if (IsDisposableInterface(i))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsDisposableInterface(ITypeSymbol type) =>
            type.SpecialType == SpecialType.System_IDisposable ||
            (type.Name == "IAsyncDisposable" && type.ContainingNamespace?.Name == "System" && type.ContainingNamespace.ContainingNamespace?.IsGlobalNamespace == true);
    }
}
