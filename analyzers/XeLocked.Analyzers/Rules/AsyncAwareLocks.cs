using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Rules
{
    /// <summary>
    /// Tells which held locks may stay held across an <c>await</c> (XL0013): a
    /// <c>[LockPrimitive(..., AsyncAware = true)]</c> type and a <c>SemaphoreSlim</c> (not owned by a
    /// thread; awaiting while holding it is what <c>WaitAsync</c> is for). <c>Monitor</c>,
    /// <c>System.Threading.Lock</c> and <c>ReaderWriterLockSlim</c> are owned by a thread; every
    /// other primitive blocks threads while the method is suspended.
    /// </summary>
    internal static class AsyncAwareLocks
    {
        /// <summary>
        /// Why <paramref name="held"/> must not be held across an await, or null when it may be (an
        /// async-aware primitive, or a primitive whose type the path does not tell).
        /// </summary>
        public static string? Problem(CompilationModel model, HeldLock held, IMethodSymbol body)
        {
            switch (held.Flavor)
            {
                case LockFlavor.Monitor:
                    return "a Monitor lock is owned by its thread, and the code after the await may run on another one";
                case LockFlavor.ThreadingLock:
                    return "a System.Threading.Lock is owned by its thread, and the code after the await may run on another one";
                case LockFlavor.ReaderWriterLockSlim:
                    return "a ReaderWriterLockSlim is owned by its thread, and the code after the await may run on another one";
                case LockFlavor.PrimitiveExclusive:
                case LockFlavor.PrimitiveReaderWriter:
                case LockFlavor.Opaque:
                    var type = TypeOf(held.Path, body);
                    if (type == null || IsAsyncAware(model, type))
                    {
                        return null;
                    }

                    return $"'{type.Name}' is not an async-aware lock ([LockPrimitive(AsyncAware = true)]): holding it while suspended blocks every thread that waits for it";
                case LockFlavor.SemaphoreSlim:
                default:
                    return null;
            }
        }

        /// <summary>True when <paramref name="type"/> (or a base type) is <c>[LockPrimitive(AsyncAware = true)]</c>.</summary>
        public static bool IsAsyncAware(CompilationModel model, ITypeSymbol type)
        {
            for (var t = type as INamedTypeSymbol; t != null; t = t.BaseType)
            {
                var attr = KnownSymbols.GetAttribute(t, model.Known.LockPrimitive);
                if (attr == null)
                {
                    continue;
                }

                foreach (var named in attr.NamedArguments)
                {
                    if (named.Key == "AsyncAware" && named.Value.Value is bool aware)
                    {
                        return aware;
                    }
                }

                return false;
            }

            return false;
        }

        /// <summary>The declared type of the object a path names, or null when the path does not tell.</summary>
        private static ITypeSymbol? TypeOf(AccessPath path, IMethodSymbol body)
        {
            switch (path.LastMember)
            {
                case IFieldSymbol f:
                    return f.Type;
                case IPropertySymbol p:
                    return p.Type;
                case null:
                    break;
                default:
                    return null;
            }

            return path.Kind switch
            {
                PathRootKind.This => body.ContainingType,
                PathRootKind.Parameter => (path.Root as IParameterSymbol)?.Type,
                PathRootKind.Local => (path.Root as ILocalSymbol)?.Type,
                _ => null,
            };
        }
    }
}
