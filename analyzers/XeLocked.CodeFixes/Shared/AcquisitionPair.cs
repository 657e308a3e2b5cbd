using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// An explicit acquisition statement and the last statement of the same block that releases
    /// the same lock in the same mode (<c>m.Lock(); … m.Unlock();</c>, <c>_rw.EnterWriteLock(); …
    /// _rw.ExitWriteLock();</c>, <c>Monitor.Enter(x); … Monitor.Exit(x);</c>, <c>_l.Enter(); …
    /// _l.Exit();</c>), found for XL0008's fixes. Only when no statement between them releases that
    /// lock (a release on an early path would then run twice) and nothing between them declares a
    /// variable used after the release, a local function, a label or a <c>using</c> declaration.
    /// </summary>
    internal sealed class AcquisitionPair
    {
        private AcquisitionPair(ExpressionStatementSyntax acquire, ExpressionStatementSyntax release, ExpressionSyntax receiver, IMethodSymbol acquireMethod, bool isMonitor)
        {
            Acquire = acquire;
            Release = release;
            Receiver = receiver;
            AcquireMethod = acquireMethod;
            IsMonitor = isMonitor;
        }

        /// <summary>The acquisition statement.</summary>
        public ExpressionStatementSyntax Acquire { get; }

        /// <summary>The release statement, later in the same block.</summary>
        public ExpressionStatementSyntax Release { get; }

        /// <summary>The lock as written (the receiver, or the argument of <c>Monitor.Enter</c>).</summary>
        public ExpressionSyntax Receiver { get; }

        /// <summary>The acquiring method.</summary>
        public IMethodSymbol AcquireMethod { get; }

        /// <summary>True for <c>Monitor.Enter(x)</c>.</summary>
        public bool IsMonitor { get; }

        /// <summary>The pair whose acquisition is at <paramref name="node"/>, or null.</summary>
        public static AcquisitionPair? Find(SyntaxNode node, SemanticModel model)
        {
            var invocation = node.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault();
            if (!(invocation?.Parent is ExpressionStatementSyntax acquire) || !(acquire.Parent is BlockSyntax block) ||
                !(model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method))
            {
                return null;
            }

            var receiver = TargetOf(invocation, method, out var isMonitor);
            var release = receiver == null ? null : ReleaseName(method);
            if (receiver == null || release == null)
            {
                return null;
            }

            var statements = block.Statements;
            var start = statements.IndexOf(acquire);
            var end = -1;
            for (var i = statements.Count - 1; i > start; i--)
            {
                if (IsReleaseStatement(statements[i], receiver, release, model))
                {
                    end = i;
                    break;
                }
            }

            if (end < 0)
            {
                return null;
            }

            for (var i = start + 1; i < end; i++)
            {
                var s = statements[i];
                if (s is LocalFunctionStatementSyntax || s is LabeledStatementSyntax ||
                    (s is LocalDeclarationStatementSyntax d && d.UsingKeyword != default) ||
                    s.DescendantNodesAndSelf().OfType<ExpressionStatementSyntax>().Any(e => IsReleaseStatement(e, receiver, release, model)))
                {
                    return null;
                }
            }

            if (end > start + 1)
            {
                var between = WrapTarget.Widen(WrapTarget.InBlock(block, start + 1, end - 1), model, default);
                if (between.End != end - 1)
                {
                    return null;
                }
            }

            return new AcquisitionPair(acquire, (ExpressionStatementSyntax)statements[end], receiver, method, isMonitor);
        }

        /// <summary>The statements strictly between the acquisition and the release in <paramref name="block"/> (the current tree).</summary>
        public static StatementSyntax[] Between(BlockSyntax block, StatementSyntax acquire, StatementSyntax release)
        {
            var start = block.Statements.IndexOf(acquire);
            var end = block.Statements.IndexOf(release);
            return block.Statements.Skip(start + 1).Take(end - start - 1).ToArray();
        }

        private static ExpressionSyntax? TargetOf(InvocationExpressionSyntax invocation, IMethodSymbol method, out bool isMonitor)
        {
            isMonitor = method.ContainingType?.Name == "Monitor" && method.ContainingNamespace?.ToDisplayString() == "System.Threading";
            if (isMonitor)
            {
                return method.Name == "Enter" && invocation.ArgumentList.Arguments.Count == 1 ? invocation.ArgumentList.Arguments[0].Expression : null;
            }

            return (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
        }

        /// <summary>The name of the method that undoes <paramref name="acquire"/>, or null when it is not an acquisition this fix knows.</summary>
        private static string? ReleaseName(IMethodSymbol acquire)
        {
            var ns = acquire.ContainingNamespace?.ToDisplayString();
            if (ns == "System.Threading")
            {
                return (acquire.ContainingType?.Name, acquire.Name) switch
                {
                    ("Monitor", "Enter") => "Exit",
                    ("Lock", "Enter") => "Exit",
                    ("ReaderWriterLockSlim", "EnterReadLock") => "ExitReadLock",
                    ("ReaderWriterLockSlim", "EnterWriteLock") => "ExitWriteLock",
                    ("ReaderWriterLockSlim", "EnterUpgradeableReadLock") => "ExitUpgradeableReadLock",
                    ("SemaphoreSlim", "Wait") when acquire.Parameters.Length == 0 => "Release",
                    _ => null,
                };
            }

            var text = AcquiresText(acquire);
            if (text == null || !acquire.ReturnsVoid)
            {
                return null;
            }

            return LockWrapper.FindMethod(acquire.ContainingType!, "ReleasesAttribute", text, m => m.ReturnsVoid)?.Name;
        }

        /// <summary>The <c>[Acquires]</c> expression of <paramref name="method"/> (<c>this</c>, <c>this:read</c>, …), or null.</summary>
        public static string? AcquiresText(IMethodSymbol method)
        {
            var attributes = method.GetAttributes().Where(a =>
                a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "XeLocked.Annotations" &&
                (a.AttributeClass.Name == "AcquiresAttribute" || a.AttributeClass.Name == "ReleasesAttribute")).ToList();
            return attributes.Count == 1 && attributes[0].AttributeClass!.Name == "AcquiresAttribute" &&
                   attributes[0].ConstructorArguments.Length == 1 && attributes[0].ConstructorArguments[0].Value is string text
                ? text.Replace(" ", string.Empty)
                : null;
        }

        private static bool IsReleaseStatement(StatementSyntax statement, ExpressionSyntax receiver, string release, SemanticModel model)
        {
            if (!(statement is ExpressionStatementSyntax e) || !(e.Expression is InvocationExpressionSyntax call) ||
                !(model.GetSymbolInfo(call).Symbol is IMethodSymbol method) || method.Name != release)
            {
                return false;
            }

            var target = TargetOf(call, method, out var isMonitor);
            if (isMonitor)
            {
                target = call.ArgumentList.Arguments.Count == 1 ? call.ArgumentList.Arguments[0].Expression : null;
            }

            return target != null && ReceiverText.Normalize(target.ToString()) == ReceiverText.Normalize(receiver.ToString());
        }
    }
}
