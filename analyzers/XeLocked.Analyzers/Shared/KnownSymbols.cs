using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Shared
{
    /// <summary>
    /// The attribute and BCL lock types of one compilation, looked up once. Any of them may be
    /// null when the compilation does not reference the assembly that defines it.
    /// </summary>
    internal sealed class KnownSymbols
    {
        private const string Ns = "XeLocked.Annotations.";

        public KnownSymbols(Compilation compilation)
        {
            GuardedBy = compilation.GetTypeByMetadataName(Ns + "GuardedByAttribute");
            Requires = compilation.GetTypeByMetadataName(Ns + "RequiresAttribute");
            Acquires = compilation.GetTypeByMetadataName(Ns + "AcquiresAttribute");
            Releases = compilation.GetTypeByMetadataName(Ns + "ReleasesAttribute");
            TryAcquires = compilation.GetTypeByMetadataName(Ns + "TryAcquiresAttribute");
            Excludes = compilation.GetTypeByMetadataName(Ns + "ExcludesAttribute");
            AssertsHeld = compilation.GetTypeByMetadataName(Ns + "AssertsHeldAttribute");
            LockOrder = compilation.GetTypeByMetadataName(Ns + "LockOrderAttribute");
            LockPrimitive = compilation.GetTypeByMetadataName(Ns + "LockPrimitiveAttribute");
            ScopedLock = compilation.GetTypeByMetadataName(Ns + "ScopedLockAttribute");
            NoLockAnalysis = compilation.GetTypeByMetadataName(Ns + "NoLockAnalysisAttribute");
            NoLockEdge = compilation.GetTypeByMetadataName(Ns + "NoLockEdgeAttribute");
            InnerLocks = compilation.GetTypeByMetadataName(Ns + "InnerLocksAttribute");
            ThreadingLock = compilation.GetTypeByMetadataName("System.Threading.Lock");
            ReaderWriterLockSlim = compilation.GetTypeByMetadataName("System.Threading.ReaderWriterLockSlim");
            Monitor = compilation.GetTypeByMetadataName("System.Threading.Monitor");
            SemaphoreSlim = compilation.GetTypeByMetadataName("System.Threading.SemaphoreSlim");
            Volatile = compilation.GetTypeByMetadataName("System.Threading.Volatile");
            Interlocked = compilation.GetTypeByMetadataName("System.Threading.Interlocked");
            Lockdep = compilation.GetTypeByMetadataName("XeLocked.Locking.Lockdep");
        }

        public INamedTypeSymbol? GuardedBy { get; }

        public INamedTypeSymbol? Requires { get; }

        public INamedTypeSymbol? Acquires { get; }

        public INamedTypeSymbol? Releases { get; }

        public INamedTypeSymbol? TryAcquires { get; }

        public INamedTypeSymbol? Excludes { get; }

        public INamedTypeSymbol? AssertsHeld { get; }

        public INamedTypeSymbol? LockOrder { get; }

        public INamedTypeSymbol? LockPrimitive { get; }

        public INamedTypeSymbol? ScopedLock { get; }

        public INamedTypeSymbol? NoLockAnalysis { get; }

        /// <summary><c>[NoLockEdge(held, acquired, Justification = …)]</c>: one inferred nesting removed from the XL0011 graph.</summary>
        public INamedTypeSymbol? NoLockEdge { get; }

        /// <summary><c>[InnerLocks]</c> on a field or property holding a wrapped object: the locks reached through it are inner to its holder's locks.</summary>
        public INamedTypeSymbol? InnerLocks { get; }

        public INamedTypeSymbol? ThreadingLock { get; }

        public INamedTypeSymbol? ReaderWriterLockSlim { get; }

        public INamedTypeSymbol? Monitor { get; }

        /// <summary><c>System.Threading.SemaphoreSlim</c>: a lock when binary (see <c>Resolution/SemaphoreLocks</c>).</summary>
        public INamedTypeSymbol? SemaphoreSlim { get; }

        /// <summary><c>System.Threading.Volatile</c>: <c>Volatile.Read(ref field)</c> is an explicit lockless read (READ_ONCE).</summary>
        public INamedTypeSymbol? Volatile { get; }

        /// <summary><c>System.Threading.Interlocked</c>: atomic accesses, lockless where the field's <c>[GuardedBy(Lockless = Atomics)]</c> allows them.</summary>
        public INamedTypeSymbol? Interlocked { get; }

        /// <summary>XeLocked's run-time tracker facade, whose assertions the analyzer knows.</summary>
        public INamedTypeSymbol? Lockdep { get; }

        /// <summary>True when the annotations assembly is referenced at all.</summary>
        public bool HasAnnotations => GuardedBy != null;

        public static bool Is(AttributeData attribute, INamedTypeSymbol? type) =>
            type != null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, type);

        public static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? type)
        {
            if (type == null)
            {
                return false;
            }

            foreach (var a in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, type))
                {
                    return true;
                }
            }

            return false;
        }

        public static AttributeData? GetAttribute(ISymbol symbol, INamedTypeSymbol? type)
        {
            if (type == null)
            {
                return null;
            }

            foreach (var a in symbol.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, type))
                {
                    return a;
                }
            }

            return null;
        }
    }
}
