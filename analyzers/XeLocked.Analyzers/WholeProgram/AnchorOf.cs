using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using XeLocked.Analyzers.Dataflow;
using XeLocked.Analyzers.Resolution;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// Computes <see cref="Anchor"/>s: of a lock from its access path, of a call's receiver from
    /// the operation, and the <see cref="LockDepth"/> of a chain of members (positive when every
    /// member is marked <c>[InnerLocks]</c>).
    /// </summary>
    internal static class AnchorOf
    {
        /// <summary>The anchor of the lock at <paramref name="path"/>: <c>this.F.….Lock</c> is reached through F.</summary>
        public static Anchor Lock(AccessPath path, INamedTypeSymbol? innerLocks)
        {
            if (!path.IsRootedAtThis)
            {
                return Anchor.Elsewhere;
            }

            var members = path.Members;
            return members.IsEmpty
                ? Anchor.Self
                : Anchor.Through(members[0], Depth(members, members.Length - 1, innerLocks));
        }

        /// <summary>
        /// The anchor of the receiver of the call <paramref name="operation"/> makes (an invocation, a
        /// property or event accessor, a <c>foreach</c>): <c>this</c> (<see cref="Anchor.Self"/>), a chain
        /// of members of <c>this</c>, an element of a collection held in a member of <c>this</c> (by an
        /// indexer, an array element or a <c>foreach</c> variable: through that member, at its depth, an
        /// <c>[InnerLocks]</c> collection holding inner objects), or elsewhere.
        /// </summary>
        public static Anchor Receiver(IOperation operation, INamedTypeSymbol? innerLocks)
        {
            var instance = Instance(operation);
            if (instance == null)
            {
                return Anchor.Elsewhere;
            }

            var members = ThisMembers(instance, instance.SemanticModel is SemanticModel model ? n => model.GetOperation(n) : null);
            if (!members.IsDefault)
            {
                return members.IsEmpty ? Anchor.Self : Anchor.Through(members[0], Depth(members, members.Length, innerLocks));
            }

            return Anchor.Elsewhere;
        }

        /// <summary>The receiver of the call <paramref name="operation"/> makes, if it has one.</summary>
        public static IOperation? Instance(IOperation operation) => operation switch
        {
            IInvocationOperation call => call.Instance,
            IPropertyReferenceOperation property => property.Instance,
            IEventAssignmentOperation { EventReference: IEventReferenceOperation e } => e.Instance,
            IForEachLoopOperation loop => loop.Collection,
            _ => null,
        };

        /// <summary>
        /// The depth of the object at <paramref name="target"/> (members of <c>this</c>) below the object at
        /// <paramref name="holder"/>: zero when they are the same chain, positive when <paramref name="target"/>
        /// continues <paramref name="holder"/> with <c>[InnerLocks]</c> members only, unknown otherwise.
        /// </summary>
        public static LockDepth Below(ImmutableArray<ISymbol> holder, ImmutableArray<ISymbol> target, INamedTypeSymbol? innerLocks)
        {
            if (holder.IsDefault || target.IsDefault || target.Length < holder.Length)
            {
                return LockDepth.Unknown;
            }

            for (var i = 0; i < holder.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(holder[i], target[i]))
                {
                    return LockDepth.Unknown;
                }
            }

            return Depth(target.RemoveRange(0, holder.Length), target.Length - holder.Length, innerLocks);
        }

        /// <summary>The members of <c>this</c> leading to the object whose lock <paramref name="path"/> names (<c>this.A.B.Lock</c>: A, B), or default.</summary>
        public static ImmutableArray<ISymbol> LockHolder(AccessPath path) =>
            !path.IsRootedAtThis ? default
            : path.Members.IsEmpty ? ImmutableArray<ISymbol>.Empty
            : path.Members.RemoveAt(path.Members.Length - 1).Select(m => m.OriginalDefinition).ToImmutableArray();

        /// <summary>
        /// The members of <c>this</c> <paramref name="operation"/> reads through (<c>this.A.B</c>: A, B;
        /// <c>this</c>: empty), or default when it is not such a chain. An element of a collection or
        /// array (<c>this.Targets[i]</c>, through an indexer or an array element) is reached through
        /// the member holding the collection; an indexer of <c>this</c> itself is not a member.
        /// </summary>
        /// <param name="operation">the expression</param>
        /// <param name="operationOf">the operation tree of a syntax node (to read the collection of a <c>foreach</c> variable), if available</param>
        public static ImmutableArray<ISymbol> ThisMembers(IOperation? operation, System.Func<SyntaxNode, IOperation?>? operationOf = null)
        {
            var builder = ImmutableArray.CreateBuilder<ISymbol>();
            var current = operation;
            while (current != null)
            {
                current = KnownLockApis.UnwrapConversions(current);
                switch (current)
                {
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                        builder.Reverse();
                        return builder.ToImmutable();
                    case IFieldReferenceOperation f when !f.Field.IsStatic:
                        builder.Add(f.Field.OriginalDefinition);
                        current = f.Instance;
                        break;
                    case IPropertyReferenceOperation p when !p.Property.IsStatic && p.Arguments.IsEmpty:
                        builder.Add(p.Property.OriginalDefinition);
                        current = p.Instance;
                        break;
                    case IPropertyReferenceOperation { Property.IsIndexer: true } element when element.Instance != null && !(KnownLockApis.UnwrapConversions(element.Instance) is IInstanceReferenceOperation):
                        // `this.Targets[i]`: an element of what the member holds, reached through that member.
                        current = element.Instance;
                        break;
                    case IArrayElementReferenceOperation element:
                        current = element.ArrayReference;
                        break;
                    case ILocalReferenceOperation local when operationOf != null &&
                        local.Local.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax() is ForEachStatementSyntax declaration &&
                        operationOf(declaration) is IForEachLoopOperation loop:
                        // `foreach (var t in _targets) t.Close();`: t is an element of what `this._targets` holds.
                        current = loop.Collection;
                        break;
                    case IConditionalAccessInstanceOperation conditional:
                        current = ConditionalReceiver(conditional);
                        break;
                    default:
                        return default;
                }
            }

            return default;
        }

        /// <summary>
        /// The depth of the object reached through the first <paramref name="count"/> of
        /// <paramref name="members"/>: zero through none, positive when each is <c>[InnerLocks]</c>.
        /// </summary>
        public static LockDepth Depth(ImmutableArray<ISymbol> members, int count, INamedTypeSymbol? innerLocks)
        {
            count = System.Math.Min(count, members.Length);
            if (count == 0)
            {
                return LockDepth.Zero;
            }

            for (var i = 0; i < count; i++)
            {
                if (!IsInnerLocks(members[i], innerLocks))
                {
                    return LockDepth.Unknown;
                }
            }

            return LockDepth.Positive;
        }

        /// <summary><paramref name="member"/> (a field or property) carries <c>[InnerLocks]</c>.</summary>
        public static bool IsInnerLocks(ISymbol member, INamedTypeSymbol? innerLocks) =>
            innerLocks != null && (member is IFieldSymbol || member is IPropertySymbol) &&
            member.OriginalDefinition.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, innerLocks));

        private static IOperation? ConditionalReceiver(IConditionalAccessInstanceOperation instance)
        {
            IOperation child = instance;
            for (var parent = instance.Parent; parent != null; child = parent, parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access && access.WhenNotNull == child)
                {
                    return access.Operation;
                }
            }

            return null;
        }
    }
}
