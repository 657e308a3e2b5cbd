using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// The questions the rules ask about ownership at one event of a body: is the object a guarded
    /// access goes through owned there (XL0002/XL0003 then need no lock), and is a lock owned there
    /// (its acquisitions then make no XL0011 edge and no XL0014 report). <c>this</c> is owned in a
    /// constructor and in a method called only on owned objects, until the body publishes it.
    /// </summary>
    internal static class OwnedObjects
    {
        /// <summary>The object <paramref name="access"/> reads or writes a member of is owned by the body at the access.</summary>
        public static bool IsAccessOwned(CompilationModel model, BodyFlow body, GuardedAccessEvent access)
        {
            if (access.Returned)
            {
                return false;
            }

            if (OwnershipFlow.FieldRoot(access.Instance) is AccessPath field)
            {
                // `_index.Count` in a constructor, after `_index = new Index();`
                return IsThisOwned(model, body, access.Operation, field);
            }

            var instance = OwnershipFlow.Bare(access.Instance);
            if (instance == null)
            {
                return false;
            }

            return instance.IsRootedAtThis
                ? IsThisOwned(model, body, access.Operation)
                : body.Ownership?.IsOwnedAt(access.Operation, instance) == true;
        }

        /// <summary>
        /// The lock at <paramref name="path"/> is owned at <paramref name="site"/>: the path's root is owned
        /// there and every member on the way is a lock private to its container
        /// (<see cref="OwnershipIndex.IsPrivateLockMember"/>), so no other thread can reach that lock object.
        /// </summary>
        public static bool IsLockOwned(CompilationModel model, BodyFlow body, IOperation site, AccessPath path)
        {
            var root = OwnershipFlow.RootOf(path);
            if (root == null)
            {
                return false;
            }

            var rootOwned = root.IsRootedAtThis ? IsThisOwned(model, body, site) : body.Ownership?.IsOwnedAt(site, root) == true;
            if (!rootOwned)
            {
                return false;
            }

            foreach (var member in path.Members)
            {
                if (!model.Ownership.IsPrivateLockMember(member))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary><paramref name="root"/> (<c>this</c>, or a field of <c>this</c>) is owned at <paramref name="site"/> of a constructor or a method called only on owned objects.</summary>
        private static bool IsThisOwned(CompilationModel model, BodyFlow body, IOperation site, AccessPath? root = null)
        {
            var method = body.Method;
            if (method.IsStatic || (method.MethodKind != MethodKind.Constructor && method.MethodKind != MethodKind.Ordinary))
            {
                return false;
            }

            return (method.MethodKind == MethodKind.Constructor || model.Ownership.IsCalledOnlyOnOwned(method)) &&
                   body.OwnershipFromThis?.IsOwnedAt(site, root ?? AccessPath.This) == true;
        }
    }
}
