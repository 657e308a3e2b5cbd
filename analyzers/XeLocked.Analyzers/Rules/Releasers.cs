using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// The releaser idiom: a method acquires a lock and returns a disposable whose <c>Dispose</c>
    /// releases it (<c>Task&lt;IDisposable&gt; LockAsync()</c> on a <c>SemaphoreSlim</c>,
    /// <c>IDisposable ReadLock()</c> over a <c>ReaderWriterLockSlim</c>, a <c>Scope Enter()</c> over a
    /// monitor). Without annotations the analysis cannot tie the two together, so:
    /// <list type="bullet">
    /// <item>a <c>SemaphoreSlim</c> held when a method that returns a disposable returns is handed to
    /// it (not XL0008), and one released by a <c>Dispose</c>/<c>DisposeAsync</c> that does not hold it
    /// is the releaser's job (not XL0007);</item>
    /// <item>any other lock is handed on only to a <em>releaser type</em> the method returns as
    /// <c>new T(…)</c>, and released without XL0007 only in the <c>Dispose</c> of such a type: a
    /// disposable type of the compilation whose <c>Dispose</c>/<c>DisposeAsync</c> releases a lock of the held lock's kind
    /// (<c>Monitor.Exit</c>, <c>Lock.Exit</c>, <c>ExitReadLock</c>/<c>ExitWriteLock</c>/
    /// <c>ExitUpgradeableReadLock</c>, <c>SemaphoreSlim.Release</c>) and none of whose members
    /// acquires one (no <c>lock</c> statement, no <c>Enter</c>/<c>TryEnter</c>/<c>Wait</c> of those
    /// types): it only releases what it was handed.</item>
    /// </list>
    /// With <c>[Acquires]</c> and a <c>[ScopedLock]</c> releaser the pattern is checked end to end instead.
    /// </summary>
    internal static class Releasers
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

        /// <summary>
        /// True when <paramref name="returned"/> (a method's returned value) is <c>new T(…)</c> of a
        /// releaser type whose <c>Dispose</c> releases a lock of <paramref name="flavor"/>.
        /// </summary>
        public static bool ReturnsReleaser(CompilationModel model, IOperation? returned, LockFlavor flavor)
        {
            while (returned is IConversionOperation conversion)
            {
                returned = conversion.Operand;
            }

            return returned is IObjectCreationOperation creation && creation.Type is INamedTypeSymbol type && IsReleaserType(model, type, flavor);
        }

        /// <summary>True when <paramref name="method"/> is the <c>Dispose</c>/<c>DisposeAsync</c> of a releaser type.</summary>
        public static bool IsReleaserDispose(CompilationModel model, IMethodSymbol method) =>
            IsDisposeMethod(method) && method.ContainingType is INamedTypeSymbol type && IsReleaserType(model, type, null);

        /// <summary>
        /// A disposable type of the compilation whose <c>Dispose</c>/<c>DisposeAsync</c> releases a BCL
        /// lock (of <paramref name="flavor"/>, when given) and none of whose members acquires one.
        /// </summary>
        public static bool IsReleaserType(CompilationModel model, INamedTypeSymbol type, LockFlavor? flavor)
        {
            if (!(IsDisposable(type) || type.GetMembers("Dispose").OfType<IMethodSymbol>().Any(m => m.Parameters.IsEmpty)) ||
                type.DeclaringSyntaxReferences.IsEmpty)
            {
                return false;
            }

            var releases = false;
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                var declaration = reference.GetSyntax();
                var semantic = model.Compilation.GetSemanticModel(declaration.SyntaxTree);
                foreach (var node in declaration.DescendantNodes())
                {
                    if (node is LockStatementSyntax)
                    {
                        return false;
                    }

                    if (!(node is InvocationExpressionSyntax invocation) ||
                        !(semantic.GetSymbolInfo(invocation).Symbol is IMethodSymbol called) || !IsBclLock(model.Known, called.ContainingType))
                    {
                        continue;
                    }

                    switch (called.Name)
                    {
                        case "Exit":
                        case "ExitReadLock":
                        case "ExitWriteLock":
                        case "ExitUpgradeableReadLock":
                        case "Release":
                            var inDispose = invocation.Ancestors().OfType<MethodDeclarationSyntax>().FirstOrDefault() is MethodDeclarationSyntax m &&
                                            (m.Identifier.ValueText == "Dispose" || m.Identifier.ValueText == "DisposeAsync");
                            releases |= inDispose && (flavor == null || FlavorOf(model.Known, called.ContainingType) == flavor);
                            break;
                        case "Enter":
                        case "TryEnter":
                        case "EnterScope":
                        case "EnterReadLock":
                        case "EnterWriteLock":
                        case "EnterUpgradeableReadLock":
                        case "TryEnterReadLock":
                        case "TryEnterWriteLock":
                        case "TryEnterUpgradeableReadLock":
                        case "Wait":
                        case "WaitAsync":
                            return false;
                    }
                }
            }

            return releases;
        }

        private static LockFlavor FlavorOf(KnownSymbols known, INamedTypeSymbol type) =>
            SymbolEqualityComparer.Default.Equals(type, known.Monitor) ? LockFlavor.Monitor
            : SymbolEqualityComparer.Default.Equals(type, known.ThreadingLock) ? LockFlavor.ThreadingLock
            : SymbolEqualityComparer.Default.Equals(type, known.ReaderWriterLockSlim) ? LockFlavor.ReaderWriterLockSlim
            : LockFlavor.SemaphoreSlim;

        private static bool IsBclLock(KnownSymbols known, INamedTypeSymbol? type) =>
            type != null && (SymbolEqualityComparer.Default.Equals(type, known.Monitor) || SymbolEqualityComparer.Default.Equals(type, known.ThreadingLock) ||
                             SymbolEqualityComparer.Default.Equals(type, known.ReaderWriterLockSlim) || SymbolEqualityComparer.Default.Equals(type, known.SemaphoreSlim));

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
