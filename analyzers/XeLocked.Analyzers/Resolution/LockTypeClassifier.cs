using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Resolution
{
    /// <summary>Decides whether a type can be a lock and of which <see cref="LockFlavor"/>.</summary>
    internal sealed class LockTypeClassifier
    {
        private readonly KnownSymbols _known;

        public LockTypeClassifier(KnownSymbols known) => _known = known;

        public LockFlavor Classify(ITypeSymbol? type)
        {
            if (type == null || type.TypeKind == TypeKind.Error)
            {
                return LockFlavor.None;
            }

            var primitive = PrimitiveKind(type);
            if (primitive != LockFlavor.None)
            {
                return primitive;
            }

            if (_known.ThreadingLock != null && SymbolEqualityComparer.Default.Equals(type, _known.ThreadingLock))
            {
                return LockFlavor.ThreadingLock;
            }

            if (_known.ReaderWriterLockSlim != null && SymbolEqualityComparer.Default.Equals(type, _known.ReaderWriterLockSlim))
            {
                return LockFlavor.ReaderWriterLockSlim;
            }

            if (_known.SemaphoreSlim != null && SymbolEqualityComparer.Default.Equals(type, _known.SemaphoreSlim))
            {
                return LockFlavor.SemaphoreSlim;
            }

            if (type.TypeKind == TypeKind.Interface || type.TypeKind == TypeKind.TypeParameter)
            {
                return type.IsReferenceType ? LockFlavor.Opaque : LockFlavor.None;
            }

            return type.IsReferenceType ? LockFlavor.Monitor : LockFlavor.None;
        }

        /// <summary>The flavor a <c>[LockPrimitive]</c> type declares, or <see cref="LockFlavor.None"/>.</summary>
        public LockFlavor PrimitiveKind(ITypeSymbol type)
        {
            for (var t = type as INamedTypeSymbol; t != null; t = t.BaseType)
            {
                var attr = KnownSymbols.GetAttribute(t, _known.LockPrimitive);
                if (attr != null)
                {
                    var kind = attr.ConstructorArguments.Length > 0 && attr.ConstructorArguments[0].Value is int k ? k : 0;
                    return kind == 1 ? LockFlavor.PrimitiveReaderWriter : LockFlavor.PrimitiveExclusive;
                }
            }

            return LockFlavor.None;
        }

        /// <summary>
        /// True for a <c>[ScopedLock]</c> guard type, or a <c>Task&lt;T&gt;</c>/<c>ValueTask&lt;T&gt;</c> of
        /// one (an async acquisition, <c>await using (await x.LockAsync())</c>: the awaited guard is the guard).
        /// </summary>
        public bool IsScopedGuard(ITypeSymbol? type) =>
            type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } awaitable &&
            (awaitable.Name == "Task" || awaitable.Name == "ValueTask") &&
            awaitable.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks"
                ? IsScopedGuard(awaitable.TypeArguments[0])
                : type != null && (KnownSymbols.HasAttribute(type, _known.ScopedLock) ||
                             (type.Name == "Scope" && _known.ThreadingLock != null &&
                              SymbolEqualityComparer.Default.Equals(type.ContainingType, _known.ThreadingLock)));
    }
}
