using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// The lock classes the project declared something about, which decide how loud an inferred
    /// cycle is: a class is <em>declared</em> when a <c>[LockOrder]</c> is on it or names it, when a
    /// contract names it (<c>[GuardedBy]</c>, <c>[Requires]</c>, <c>[Acquires]</c>, <c>[Releases]</c>,
    /// <c>[TryAcquires]</c>, <c>[Excludes]</c>, <c>[AssertsHeld]</c>), or when its type is a
    /// <c>[LockPrimitive]</c> (a lock type written for, or chosen from, XeLocked). A plain <c>lock</c>
    /// object, <c>Monitor</c> or <c>ReaderWriterLockSlim</c> field that nothing names is not. The
    /// callbacks that add contracts run concurrently; <see cref="IsDeclared"/> is asked at compilation end.
    /// </summary>
    internal sealed class DeclaredLockClasses
    {
        private readonly ConcurrentDictionary<ISymbol, byte> _named = new ConcurrentDictionary<ISymbol, byte>(SymbolEqualityComparer.Default);

        /// <summary>Records the classes a <c>[GuardedBy]</c> names.</summary>
        public void Add(GuardContract? guard)
        {
            if (guard != null)
            {
                Add(guard.Read);
                Add(guard.Write);
            }
        }

        /// <summary>Records the classes a method's contract names.</summary>
        public void Add(MethodContract contract)
        {
            foreach (var e in contract.Requires)
            {
                Add(e);
            }

            foreach (var e in contract.AssertedDisjunctions)
            {
                Add(e);
            }

            Add(contract.Acquires);
            Add(contract.Releases);
            Add(contract.Excludes);
            Add(contract.AssertsHeld);
            foreach (var t in contract.TryAcquires)
            {
                Add(t.Factor);
            }
        }

        /// <summary>True when the project declared something about <paramref name="lockClass"/> (see the class summary).</summary>
        public bool IsDeclared(ISymbol lockClass, CompilationModel model)
        {
            var cls = lockClass.OriginalDefinition;
            if (_named.ContainsKey(cls) || KnownSymbols.HasAttribute(cls, model.Known.LockOrder) || model.Order.Mentions(cls))
            {
                return true;
            }

            return PathResolver.MemberType(cls) is ITypeSymbol type && model.Classifier.PrimitiveKind(type) != LockFlavor.None;
        }

        private void Add(ResolvedExpression? expression)
        {
            if (expression != null)
            {
                foreach (var f in expression.AllFactors)
                {
                    Add(f);
                }
            }
        }

        private void Add(ImmutableArray<ResolvedFactor> factors)
        {
            foreach (var f in factors)
            {
                Add(f);
            }
        }

        private void Add(ResolvedFactor factor)
        {
            if (factor.Path.LastMember is ISymbol member)
            {
                _named.TryAdd(member.OriginalDefinition, 0);
            }
        }
    }
}
