using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using XeLocked.Analyzers.Dataflow;

namespace XeLocked.Analyzers.WholeProgram
{
    /// <summary>
    /// The call edges a type declares rather than a body writes:
    /// <list type="bullet">
    /// <item>dispatch: a virtual call of a method may run its body, any override of it, and for an
    /// interface member the implementation each type of the compilation maps it to — declared in
    /// the type, explicit, or inherited from a base class (<c>class B : Base, I</c> where
    /// <c>Base.M</c> implements <c>I.M</c>), abstract then overridden, or of a generic interface;</item>
    /// <item>construction: an instance constructor that does not chain to <c>this(...)</c> runs the
    /// instance field and property initializers; an implicitly declared constructor (no
    /// constructor written) runs them and then the base class's parameterless constructor, as does a
    /// primary constructor whose base class is named without arguments.</item>
    /// </list>
    /// Static field initializers and static constructors run once, when the type is first used,
    /// which is no call site the analysis can name: they are not followed.
    /// </summary>
    internal static class TypeCallEdges
    {
        public static List<CallEdge> Collect(INamedTypeSymbol type)
        {
            var output = new List<CallEdge>();
            Dispatch(type, output);
            Construction(type, output);
            return output;
        }

        private static void Dispatch(INamedTypeSymbol type, List<CallEdge> output)
        {
            foreach (var member in type.GetMembers().OfType<IMethodSymbol>())
            {
                var self = CallNode.For(member, dispatched: true);
                var site = At(member);
                if (CallTargets.IsDispatchable(member))
                {
                    output.Add(new CallEdge(self, CallNode.Body(member), site, Anchor.Self));
                }

                if (member.OverriddenMethod is IMethodSymbol overridden && CallTargets.IsInSource(overridden))
                {
                    output.Add(new CallEdge(CallNode.For(overridden, dispatched: true), self, site, Anchor.Self));
                }

                foreach (var implemented in member.ExplicitInterfaceImplementations)
                {
                    if (CallTargets.IsInSource(implemented))
                    {
                        output.Add(new CallEdge(CallNode.For(implemented, dispatched: true), self, site, Anchor.Self));
                    }
                }
            }

            if (type.TypeKind == TypeKind.Interface)
            {
                return;
            }

            foreach (var contract in type.AllInterfaces)
            {
                // Calls to members of interfaces from outside the compilation are not followed (any implementation may run).
                if (!contract.Locations.Any(l => l.IsInSource))
                {
                    continue;
                }

                foreach (var member in contract.GetMembers().OfType<IMethodSymbol>())
                {
                    if (CallTargets.IsDispatchable(member) &&
                        type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation &&
                        CallTargets.IsInSource(implementation) &&
                        !SymbolEqualityComparer.Default.Equals(implementation.OriginalDefinition, member.OriginalDefinition))
                    {
                        output.Add(new CallEdge(CallNode.For(member, dispatched: true), CallNode.For(implementation, dispatched: true), At(type), Anchor.Self));
                    }
                }
            }
        }

        private static void Construction(INamedTypeSymbol type, List<CallEdge> output)
        {
            if (type.TypeKind != TypeKind.Class && type.TypeKind != TypeKind.Struct)
            {
                return;
            }

            var initialized = new List<(ISymbol Member, Location At)>();
            foreach (var member in type.GetMembers())
            {
                if (!member.IsStatic && !member.IsImplicitlyDeclared && Initializer(member) is EqualsValueClauseSyntax initializer)
                {
                    initialized.Add((member, initializer.Value.GetLocation()));
                }
            }

            foreach (var constructor in type.InstanceConstructors)
            {
                var self = CallNode.Body(constructor);
                if (RunsInitializers(type, constructor))
                {
                    foreach (var (member, at) in initialized)
                    {
                        output.Add(new CallEdge(self, CallNode.Body(member), at, Anchor.Self));
                    }
                }

                if ((constructor.IsImplicitlyDeclared || IsPrimaryWithoutBaseArguments(constructor)) && type.TypeKind == TypeKind.Class &&
                    !IsCopyConstructor(type, constructor) && ImplicitBaseConstructor(type) is IMethodSymbol baseConstructor)
                {
                    output.Add(new CallEdge(self, CallNode.Body(baseConstructor), At(type), Anchor.Self));
                }
            }
        }

        private static EqualsValueClauseSyntax? Initializer(ISymbol member)
        {
            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case VariableDeclaratorSyntax { Initializer: EqualsValueClauseSyntax field } when member is IFieldSymbol:
                        return field;
                    case PropertyDeclarationSyntax { Initializer: EqualsValueClauseSyntax property }:
                        return property;
                }
            }

            return null;
        }

        /// <summary>
        /// A constructor written without <c>: this(...)</c>, a primary constructor, or an implicit
        /// class constructor runs the instance initializers; a record's copy constructor and a
        /// struct's implicit parameterless one (which zeroes) do not.
        /// </summary>
        private static bool RunsInitializers(INamedTypeSymbol type, IMethodSymbol constructor)
        {
            if (constructor.IsImplicitlyDeclared)
            {
                return type.TypeKind == TypeKind.Class && !IsCopyConstructor(type, constructor);
            }

            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                switch (reference.GetSyntax())
                {
                    case ConstructorDeclarationSyntax declared:
                        return declared.Initializer == null || !declared.Initializer.IsKind(SyntaxKind.ThisConstructorInitializer);
                    case TypeDeclarationSyntax:
                        return true; // a primary constructor
                }
            }

            return false;
        }

        /// <summary>A primary constructor whose type names its base class without arguments: it calls the base's parameterless constructor.</summary>
        private static bool IsPrimaryWithoutBaseArguments(IMethodSymbol constructor)
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is TypeDeclarationSyntax declaration)
                {
                    return declaration.BaseList == null || !declaration.BaseList.Types.Any(t => t is PrimaryConstructorBaseTypeSyntax);
                }
            }

            return false;
        }

        private static bool IsCopyConstructor(INamedTypeSymbol type, IMethodSymbol constructor) =>
            type.IsRecord && constructor.Parameters.Length == 1 &&
            SymbolEqualityComparer.Default.Equals(constructor.Parameters[0].Type.OriginalDefinition, type.OriginalDefinition);

        /// <summary>The base class constructor an implicit constructor calls: the one callable without arguments.</summary>
        private static IMethodSymbol? ImplicitBaseConstructor(INamedTypeSymbol type)
        {
            if (!(type.BaseType is INamedTypeSymbol baseType))
            {
                return null;
            }

            var candidate = baseType.InstanceConstructors
                .Where(c => c.Parameters.All(p => p.IsOptional || p.IsParams))
                .OrderBy(c => c.Parameters.Length)
                .FirstOrDefault();
            return candidate != null && CallTargets.IsInSource(candidate) ? candidate : null;
        }

        private static Location At(ISymbol symbol) => symbol.Locations.Length > 0 ? symbol.Locations[0] : Location.None;
    }
}
