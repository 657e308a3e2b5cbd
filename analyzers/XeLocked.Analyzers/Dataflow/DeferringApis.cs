using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Methods outside the compilation that run a delegate argument later or on another thread
    /// (<c>Task.Run</c>, <c>ContinueWith</c>, <c>ThreadPool.QueueUserWorkItem</c>,
    /// <c>CancellationToken.Register</c>, <c>Parallel.ForEach</c>, …): a lambda passed to them does not
    /// run with the caller's locks held (see <see cref="NestedBodyEntry"/>).
    /// </summary>
    internal static class DeferringApis
    {
        /// <summary>Containing type (metadata name) → the methods that defer (null: all of them).</summary>
        private static readonly Dictionary<string, string[]?> s_table = new Dictionary<string, string[]?>
        {
            ["System.Threading.Tasks.Task"] = new[] { "Run", "ContinueWith" },
            ["System.Threading.Tasks.Task`1"] = new[] { "ContinueWith" },
            ["System.Threading.Tasks.TaskFactory"] = null,
            ["System.Threading.Tasks.TaskFactory`1"] = null,
            ["System.Threading.Tasks.Parallel"] = null,
            ["System.Threading.ThreadPool"] = null,
            ["System.Threading.CancellationToken"] = new[] { "Register", "UnsafeRegister" },
            ["System.Threading.SynchronizationContext"] = new[] { "Post", "Send" },
            ["System.Threading.Tasks.TaskScheduler"] = null,
            ["System.Windows.Threading.Dispatcher"] = null,
            ["System.Windows.Forms.Control"] = new[] { "BeginInvoke", "Invoke" },
            ["System.ObservableExtensions"] = new[] { "Subscribe" },
        };

        /// <summary>Awaiter methods that register the continuation (any awaiter type).</summary>
        private static readonly HashSet<string> s_continuations = new HashSet<string> { "OnCompleted", "UnsafeOnCompleted" };

        /// <summary>True when <paramref name="method"/> runs its delegate arguments later or on another thread.</summary>
        public static bool Defers(IMethodSymbol method)
        {
            var definition = (method.ReducedFrom ?? method).OriginalDefinition;
            if (s_continuations.Contains(definition.Name))
            {
                return true;
            }

            for (var type = definition.ContainingType; type != null; type = type.BaseType)
            {
                if (s_table.TryGetValue(MetadataName(type), out var names) && (names == null || System.Array.IndexOf(names, definition.Name) >= 0))
                {
                    return true;
                }
            }

            return false;
        }

        private static string MetadataName(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace?.IsGlobalNamespace == false ? type.ContainingNamespace.ToDisplayString() + "." : "";
            return ns + type.MetadataName;
        }
    }
}
