using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using XeLocked.LockExpressions;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>
    /// How to hold one lock around statements, chosen from the lock's type:
    /// <c>lock (x) { … }</c> for a monitor object or a <c>System.Threading.Lock</c>;
    /// <c>using (x.Guard()) { … }</c> (or the read/write guard) for a <c>[LockPrimitive]</c> with a
    /// <c>[ScopedLock]</c> guard, otherwise its acquire/release pair in <c>try</c>/<c>finally</c>;
    /// <c>x.EnterReadLock(); try { … } finally { x.ExitReadLock(); }</c> (or write) for a
    /// <c>ReaderWriterLockSlim</c>; <c>await x.WaitAsync()</c> (in an async function, else
    /// <c>x.Wait()</c>) with <c>Release()</c> in <c>finally</c> for a <c>SemaphoreSlim</c>.
    /// </summary>
    internal sealed class LockWrapper
    {
        private readonly ExpressionSyntax _lock;
        private readonly WrapKind _kind;
        private readonly string? _acquire;
        private readonly string? _release;
        private readonly bool _await;
        private readonly bool _asyncAware;

        private LockWrapper(ExpressionSyntax lockExpression, WrapKind kind, string? acquire, string? release, bool awaitAcquire, bool asyncAware = false)
        {
            _asyncAware = asyncAware || awaitAcquire;
            _lock = lockExpression;
            _kind = kind;
            _acquire = acquire;
            _release = release;
            _await = awaitAcquire;
        }

        private enum WrapKind
        {
            LockStatement,
            Using,
            TryFinally,
        }

        /// <summary>
        /// True when the wrapped statements may contain <c>await</c>: a semaphore taken with
        /// <c>WaitAsync</c>, or a <c>[LockPrimitive(…, AsyncAware = true)]</c> (not bound to a thread).
        /// </summary>
        public bool AllowsAwait => _asyncAware;

        /// <summary>How the wrap reads, for the code action's title: <c>lock (x)</c>, <c>using (x.Guard())</c>, <c>x.EnterWriteLock()</c>.</summary>
        public string Description => _kind switch
        {
            WrapKind.LockStatement => $"lock ({_lock})",
            WrapKind.Using => $"using ({_lock}.{_acquire}())",
            _ => (_await ? "await " : string.Empty) + $"{_lock}.{_acquire}()/{_release}()",
        };

        /// <summary>
        /// The wrap for <paramref name="required"/> at <paramref name="position"/>, or null when its
        /// path does not bind there or its type offers no way to hold it in the required mode.
        /// </summary>
        public static LockWrapper? Create(RequiredLock required, SemanticModel model, int position, bool inAsyncFunction)
        {
            var expression = SyntaxFactory.ParseExpression(required.Path);
            if (expression.ContainsDiagnostics)
            {
                return null;
            }

            // A lock reached through a local: the local must be declared before the wrap begins.
            var root = SyntaxFactory.ParseExpression(required.Path.Split('.')[0]);
            if (model.GetSpeculativeSymbolInfo(position, root, SpeculativeBindingOption.BindAsExpression).Symbol is ILocalSymbol local &&
                local.DeclaringSyntaxReferences.Any(r => r.Span.End > position))
            {
                return null;
            }

            var type = model.GetSpeculativeTypeInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Type;
            if (type == null || type.TypeKind == TypeKind.Error || !type.IsReferenceType)
            {
                return null;
            }

            var mode = required.Mode;
            if (Is(type, "System.Threading", "Lock"))
            {
                return new LockWrapper(expression, WrapKind.LockStatement, null, null, false);
            }

            if (Is(type, "System.Threading", "ReaderWriterLockSlim"))
            {
                return mode == LockModeSpec.Read
                    ? new LockWrapper(expression, WrapKind.TryFinally, "EnterReadLock", "ExitReadLock", false)
                    : new LockWrapper(expression, WrapKind.TryFinally, "EnterWriteLock", "ExitWriteLock", false);
            }

            if (Is(type, "System.Threading", "SemaphoreSlim"))
            {
                return inAsyncFunction
                    ? new LockWrapper(expression, WrapKind.TryFinally, "WaitAsync", "Release", true)
                    : new LockWrapper(expression, WrapKind.TryFinally, "Wait", "Release", false);
            }

            var primitive = LockPrimitiveKind(type);
            if (primitive != null)
            {
                var wanted = primitive == 1 ? (mode == LockModeSpec.Read ? "this:read" : "this:write") : "this";
                var guard = FindMethod(type, "AcquiresAttribute", wanted, m => IsScopedGuard(m.ReturnType));
                var asyncAware = IsAsyncAware(type);
                if (guard != null)
                {
                    return new LockWrapper(expression, WrapKind.Using, guard.Name, null, false, asyncAware);
                }

                var acquire = FindMethod(type, "AcquiresAttribute", wanted, m => m.ReturnsVoid);
                var release = FindMethod(type, "ReleasesAttribute", wanted, m => m.ReturnsVoid);
                return acquire != null && release != null
                    ? new LockWrapper(expression, WrapKind.TryFinally, acquire.Name, release.Name, false, asyncAware)
                    : null;
            }

            if (type.TypeKind == TypeKind.Interface || type.TypeKind == TypeKind.TypeParameter || type.SpecialType == SpecialType.System_String)
            {
                return null;
            }

            return new LockWrapper(expression, WrapKind.LockStatement, null, null, false);
        }

        /// <summary>
        /// <paramref name="statements"/> held under this lock: one statement (a <c>lock</c> or
        /// <c>using</c>) or two (the acquisition and the <c>try</c>/<c>finally</c>), formatted on insertion.
        /// </summary>
        public IReadOnlyList<StatementSyntax> Wrap(IReadOnlyList<StatementSyntax> statements)
        {
            var body = SyntaxFactory.Block(statements);
            switch (_kind)
            {
                case WrapKind.LockStatement:
                    return new StatementSyntax[] { SyntaxFactory.LockStatement(_lock.WithoutTrivia(), body).WithAdditionalAnnotations(Formatter.Annotation) };
                case WrapKind.Using:
                    return new StatementSyntax[]
                    {
                        SyntaxFactory.UsingStatement(null, Call(_acquire!), body).WithAdditionalAnnotations(Formatter.Annotation),
                    };
                default:
                    ExpressionSyntax acquire = Call(_acquire!);
                    if (_await)
                    {
                        acquire = SyntaxFactory.AwaitExpression(acquire);
                    }

                    return new StatementSyntax[]
                    {
                        SyntaxFactory.ExpressionStatement(acquire).WithAdditionalAnnotations(Formatter.Annotation),
                        SyntaxFactory.TryStatement(
                            body,
                            default,
                            SyntaxFactory.FinallyClause(SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(Call(_release!)))))
                            .WithAdditionalAnnotations(Formatter.Annotation),
                    };
            }
        }

        /// <summary>Wraps in several locks, the first outermost.</summary>
        public static IReadOnlyList<StatementSyntax> WrapAll(IReadOnlyList<LockWrapper> wrappers, IReadOnlyList<StatementSyntax> statements)
        {
            var current = statements;
            for (var i = wrappers.Count - 1; i >= 0; i--)
            {
                current = wrappers[i].Wrap(current);
            }

            return current;
        }

        private InvocationExpressionSyntax Call(string method) =>
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, _lock.WithoutTrivia(), SyntaxFactory.IdentifierName(method)));

        private static bool Is(ITypeSymbol type, string ns, string name) =>
            type.Name == name && type.ContainingNamespace?.ToDisplayString() == ns;

        /// <summary>0 for <c>[LockPrimitive(LockKind.Exclusive)]</c>, 1 for reader-writer, null when not a primitive.</summary>
        internal static int? LockPrimitiveKind(ITypeSymbol type)
        {
            for (var t = type as INamedTypeSymbol; t != null; t = t.BaseType)
            {
                var attribute = t.GetAttributes().FirstOrDefault(a => IsAnnotation(a.AttributeClass, "LockPrimitiveAttribute"));
                if (attribute != null)
                {
                    return attribute.ConstructorArguments.Length > 0 && attribute.ConstructorArguments[0].Value is int k ? k : 0;
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="type"/>'s <c>[LockPrimitive]</c> says <c>AsyncAware = true</c>.</summary>
        private static bool IsAsyncAware(ITypeSymbol type)
        {
            for (var t = type as INamedTypeSymbol; t != null; t = t.BaseType)
            {
                var attribute = t.GetAttributes().FirstOrDefault(a => IsAnnotation(a.AttributeClass, "LockPrimitiveAttribute"));
                if (attribute != null)
                {
                    return attribute.NamedArguments.Any(a => a.Key == "AsyncAware" && a.Value.Value is bool b && b);
                }
            }

            return false;
        }

        /// <summary>
        /// A method of <paramref name="type"/> (or a base) callable without arguments, carrying
        /// <paramref name="attribute"/> with exactly <paramref name="expression"/>, that satisfies <paramref name="shape"/>.
        /// </summary>
        internal static IMethodSymbol? FindMethod(ITypeSymbol type, string attribute, string expression, System.Func<IMethodSymbol, bool> shape)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                foreach (var method in t.GetMembers().OfType<IMethodSymbol>())
                {
                    if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.DeclaredAccessibility != Accessibility.Public ||
                        method.Parameters.Any(p => !p.IsOptional) || method.IsGenericMethod || !shape(method))
                    {
                        continue;
                    }

                    var attributes = method.GetAttributes().Where(a => IsAnnotation(a.AttributeClass, "AcquiresAttribute") || IsAnnotation(a.AttributeClass, "ReleasesAttribute")).ToList();
                    if (attributes.Count == 1 && IsAnnotation(attributes[0].AttributeClass, attribute) &&
                        attributes[0].ConstructorArguments.Length == 1 && attributes[0].ConstructorArguments[0].Value is string text &&
                        text.Replace(" ", string.Empty) == expression)
                    {
                        return method;
                    }
                }
            }

            return null;
        }

        internal static bool IsScopedGuard(ITypeSymbol type) =>
            type.GetAttributes().Any(a => IsAnnotation(a.AttributeClass, "ScopedLockAttribute"));

        private static bool IsAnnotation(INamedTypeSymbol? attribute, string name) =>
            attribute != null && attribute.Name == name && attribute.ContainingNamespace?.ToDisplayString() == "XeLocked.Annotations";
    }
}
