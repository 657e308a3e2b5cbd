using System;
using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace XeLocked.Analyzers.Resolution
{
    /// <summary>
    /// A symbolic access path naming one object: a root (<c>this</c>, a parameter, a local, a flow
    /// capture, or nothing for a static member) followed by fields and properties
    /// (<c>this.Vm.Lock</c>, <c>range.Lock</c>, <c>Device.UsmLock</c>). Two paths are equal when they
    /// start at the same root and go through the same members; that is how lock instances are told
    /// apart (<c>vm1.Lock</c> vs <c>vm2.Lock</c>). Immutable.
    /// </summary>
    internal sealed class AccessPath : IEquatable<AccessPath>
    {
        private readonly int _hash;

        private AccessPath(PathRootKind kind, ISymbol? root, CaptureId? capture, ImmutableArray<ISymbol> members)
        {
            Kind = kind;
            Root = root;
            Capture = capture;
            Members = members;
            var h = (int)kind * 397;
            if (root != null)
            {
                h ^= SymbolEqualityComparer.Default.GetHashCode(root);
            }

            if (capture != null)
            {
                h ^= capture.Value.GetHashCode();
            }

            foreach (var m in members)
            {
                h = (h * 31) ^ SymbolEqualityComparer.Default.GetHashCode(m);
            }

            _hash = h;
        }

        public PathRootKind Kind { get; }

        /// <summary>The parameter or local symbol of the root, when there is one.</summary>
        public ISymbol? Root { get; }

        /// <summary>The flow capture of a <see cref="PathRootKind.Capture"/> root.</summary>
        public CaptureId? Capture { get; }

        /// <summary>Fields and properties, outermost first (original definitions).</summary>
        public ImmutableArray<ISymbol> Members { get; }

        /// <summary>The last member: the lock's <em>class</em> for the order checks, or null for a bare root.</summary>
        public ISymbol? LastMember => Members.IsEmpty ? null : Members[Members.Length - 1];

        public static AccessPath This { get; } = new AccessPath(PathRootKind.This, null, null, ImmutableArray<ISymbol>.Empty);

        public static AccessPath ForParameter(IParameterSymbol p) =>
            new AccessPath(PathRootKind.Parameter, p.OriginalDefinition, null, ImmutableArray<ISymbol>.Empty);

        public static AccessPath ForLocal(ILocalSymbol l) =>
            new AccessPath(PathRootKind.Local, l, null, ImmutableArray<ISymbol>.Empty);

        public static AccessPath ForCapture(CaptureId id) =>
            new AccessPath(PathRootKind.Capture, null, id, ImmutableArray<ISymbol>.Empty);

        public static AccessPath ForStatic(ISymbol member) =>
            new AccessPath(PathRootKind.Static, null, null, ImmutableArray.Create(member.OriginalDefinition));

        /// <summary>This path followed by <paramref name="member"/>.</summary>
        public AccessPath Append(ISymbol member) =>
            new AccessPath(Kind, Root, Capture, Members.Add(member.OriginalDefinition));

        /// <summary>This path with its root replaced by <paramref name="newRoot"/> (substitution at a call).</summary>
        public AccessPath Rebase(AccessPath newRoot) =>
            new AccessPath(newRoot.Kind, newRoot.Root, newRoot.Capture, newRoot.Members.AddRange(Members));

        /// <summary>
        /// The path may denote the same object as a differently spelled one: its root is a value of
        /// unknown provenance (a local that is not an alias of a path, a compiler capture such as a
        /// <c>foreach</c> variable, a lambda parameter), or it reaches the lock through an intermediate
        /// object (<c>pf.Queue.Lock</c>, <c>vma.Vm.Lock</c>: a back-pointer the analysis cannot follow).
        /// A lock named directly on a parameter or <c>this</c> (<c>other.Lock</c>) is not such a path.
        /// </summary>
        public bool MayAliasByClass =>
            Kind == PathRootKind.Local || Kind == PathRootKind.Capture || Members.Length >= 2 ||
            (Kind == PathRootKind.Parameter && Root?.ContainingSymbol is IMethodSymbol m && m.MethodKind == MethodKind.AnonymousFunction);

        /// <summary>True when the path goes through nothing but the current instance's members.</summary>
        public bool IsRootedAtThis => Kind == PathRootKind.This;

        public bool Equals(AccessPath? other)
        {
            if (ReferenceEquals(this, other))
            {
                return true;
            }

            if (other is null || other._hash != _hash || other.Kind != Kind || other.Members.Length != Members.Length)
            {
                return false;
            }

            if (!SymbolEqualityComparer.Default.Equals(Root, other.Root) || !Nullable.Equals(Capture, other.Capture))
            {
                return false;
            }

            for (var i = 0; i < Members.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(Members[i], other.Members[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as AccessPath);

        public override int GetHashCode() => _hash;

        /// <summary>The path as a user would write it: <c>this.Vm.Lock</c>, <c>vm.Lock</c>, <c>Device.UsmLock</c>.</summary>
        public override string ToString()
        {
            var sb = new StringBuilder();
            switch (Kind)
            {
                case PathRootKind.This:
                    sb.Append("this");
                    break;
                case PathRootKind.Parameter:
                case PathRootKind.Local:
                    sb.Append(Root!.Name);
                    break;
                case PathRootKind.Capture:
                    sb.Append("<value>");
                    break;
                case PathRootKind.Static:
                    sb.Append(Members[0].ContainingType?.Name);
                    break;
            }

            foreach (var m in Members)
            {
                sb.Append('.').Append(m.Name);
            }

            return sb.ToString();
        }
    }
}
