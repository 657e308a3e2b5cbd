using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// Finds, syntactically with the help of the semantic model, where code takes or gives back a
    /// given lock: a <c>lock</c> statement on it, a call on it to a method annotated
    /// <c>[Acquires]</c>/<c>[TryAcquires]</c>/<c>[Releases]</c> or to a BCL lock method
    /// (<c>Enter</c>, <c>EnterWriteLock</c>, <c>Wait</c>, <c>Release</c>, …), or
    /// <c>Monitor.Enter(x)</c>/<c>Monitor.Exit(x)</c>. A receiver matches the path when it is written
    /// the same way (ignoring <c>this.</c>), or names the same static member.
    /// </summary>
    internal static class LockMentions
    {
        private static readonly string[] AcquireNames =
        {
            "Enter", "EnterScope", "TryEnter", "EnterReadLock", "EnterWriteLock", "EnterUpgradeableReadLock",
            "TryEnterReadLock", "TryEnterWriteLock", "TryEnterUpgradeableReadLock", "Wait", "WaitAsync",
        };

        private static readonly string[] ReleaseNames =
        {
            "Exit", "ExitReadLock", "ExitWriteLock", "ExitUpgradeableReadLock", "Release",
        };

        /// <summary>True when <paramref name="scope"/> acquires the lock <paramref name="path"/> anywhere (nested functions included).</summary>
        public static bool Acquires(SyntaxNode scope, string path, SemanticModel model) =>
            scope.DescendantNodesAndSelf().Any(n => IsAcquisition(n, path, model));

        /// <summary>True when <paramref name="scope"/> acquires or releases the lock <paramref name="path"/> anywhere.</summary>
        public static bool AcquiresOrReleases(SyntaxNode scope, string path, SemanticModel model) =>
            scope.DescendantNodesAndSelf().Any(n => IsAcquisition(n, path, model) || IsRelease(n, path, model));

        private static bool IsAcquisition(SyntaxNode node, string path, SemanticModel model)
        {
            if (node is LockStatementSyntax lockStatement)
            {
                return Matches(lockStatement.Expression, path, model);
            }

            return node is InvocationExpressionSyntax invocation && IsCallOn(invocation, path, model, "AcquiresAttribute", "TryAcquiresAttribute", AcquireNames);
        }

        private static bool IsRelease(SyntaxNode node, string path, SemanticModel model) =>
            node is InvocationExpressionSyntax invocation && IsCallOn(invocation, path, model, "ReleasesAttribute", null, ReleaseNames);

        private static bool IsCallOn(InvocationExpressionSyntax invocation, string path, SemanticModel model, string attribute, string? tryAttribute, string[] bclNames)
        {
            if (!(model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method))
            {
                return false;
            }

            var type = method.ContainingType;
            var isMonitor = type?.Name == "Monitor" && type.ContainingNamespace?.ToDisplayString() == "System.Threading";
            var receiver = isMonitor
                ? invocation.ArgumentList.Arguments.FirstOrDefault()?.Expression
                : (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
            if (receiver == null || !Matches(receiver, path, model))
            {
                return false;
            }

            var annotated = method.GetAttributes().Any(a =>
                a.AttributeClass?.ContainingNamespace?.ToDisplayString() == "XeLocked.Annotations" &&
                (a.AttributeClass.Name == attribute || a.AttributeClass.Name == tryAttribute));
            var bcl = type?.ContainingNamespace?.ToDisplayString() == "System.Threading" && bclNames.Contains(method.Name);
            return annotated || bcl;
        }

        /// <summary>True when <paramref name="expression"/> denotes the lock written <paramref name="path"/>.</summary>
        public static bool Matches(ExpressionSyntax expression, string path, SemanticModel model)
        {
            if (ReceiverText.Normalize(expression.ToString()) == ReceiverText.Normalize(path))
            {
                return true;
            }

            var symbol = model.GetSymbolInfo(expression).Symbol;
            if (symbol == null || !symbol.IsStatic)
            {
                return false;
            }

            var bound = model.GetSpeculativeSymbolInfo(expression.SpanStart, Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(path), SpeculativeBindingOption.BindAsExpression).Symbol;
            return SymbolEqualityComparer.Default.Equals(symbol, bound);
        }
    }
}
