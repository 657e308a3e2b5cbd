using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// Where a member can be referenced from, its containing types included: a <c>public</c> method of
    /// an <c>internal</c> class is no more visible than the class.
    /// </summary>
    internal static class EffectiveAccessibility
    {
        /// <summary>
        /// <see cref="Accessibility.Private"/> when the member or a containing type is private (only code of
        /// the outermost private type's container can name it); <see cref="Accessibility.Internal"/> when
        /// it or a containing type is internal or <c>private protected</c> (only this assembly, and its
        /// friends); otherwise <see cref="Accessibility.Public"/> (code outside the assembly may reach it,
        /// directly or from a derived type).
        /// </summary>
        public static Accessibility Of(ISymbol member)
        {
            var result = Accessibility.Public;
            for (ISymbol? s = member; s != null && !(s is INamespaceSymbol); s = s.ContainingType)
            {
                switch (s.DeclaredAccessibility)
                {
                    case Accessibility.Private:
                        return Accessibility.Private;
                    case Accessibility.Internal:
                    case Accessibility.ProtectedAndInternal:
                        result = Accessibility.Internal;
                        break;
                }
            }

            return result;
        }
    }
}
