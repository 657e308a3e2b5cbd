using System;
using System.Threading;

namespace XeLocked.Analyzers.Shared
{
    /// <summary>
    /// Runs analyzer callbacks so that an unexpected exception (on code the analyzer does not
    /// understand, typically code that does not compile) loses the diagnostics of that one body
    /// instead of surfacing as AD0001 and disabling the analyzer. Cancellation still propagates.
    /// </summary>
    internal static class AnalyzerGuard
    {
        /// <summary>Set by tests to see exceptions instead of swallowing them.</summary>
        public static bool Rethrow { get; set; }

        public static void Run(Action action, CancellationToken ct)
        {
            try
            {
                action();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception) when (!Rethrow)
            {
                // Deliberately swallowed: see the type's summary.
            }
        }
    }
}
