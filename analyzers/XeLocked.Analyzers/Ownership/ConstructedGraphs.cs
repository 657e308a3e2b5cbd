using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// What an object holds right after <c>new T(…)</c>, read from the constructors and instance
    /// initializers of <c>T</c> and of its base classes in the compilation: the members (fields and
    /// auto-properties) that construction leaves <em>fresh</em> — never assigned (so default), or
    /// assigned only <c>null</c>, <c>default</c> or a new object that is itself fresh (a type from
    /// another assembly built with no arguments or constant ones, such as <c>new object()</c> or
    /// <c>new List&lt;T&gt;()</c>, or a type of this compilation whose every instance member is
    /// fresh), and not otherwise used by the construction. Nothing is fresh when the construction
    /// uses <c>this</c> for anything but reading and assigning its fields and auto-properties
    /// (a call on <c>this</c>, <c>this</c> passed or stored, a method group): that code could fill
    /// them. Every object reached through a fresh member of a new object was created by its
    /// construction and is reachable only through it. Thread-safe, cached per type.
    /// </summary>
    internal sealed class ConstructedGraphs
    {
        private readonly Compilation _compilation;
        private readonly object _gate = new object();
        private readonly Dictionary<ITypeSymbol, HashSet<ISymbol>?> _fresh = new Dictionary<ITypeSymbol, HashSet<ISymbol>?>(SymbolEqualityComparer.Default);
        private readonly HashSet<ITypeSymbol> _inProgress = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);

        public ConstructedGraphs(Compilation compilation) => _compilation = compilation;

        /// <summary>
        /// The members of a new <paramref name="type"/> that its construction leaves fresh, or null when
        /// none (the construction may have filled them, or the type is not a class of this compilation).
        /// </summary>
        public IReadOnlyCollection<ISymbol>? FreshMembers(ITypeSymbol type)
        {
            type = type.OriginalDefinition;
            lock (_gate)
            {
                if (_fresh.TryGetValue(type, out var known))
                {
                    return known;
                }

                if (!_inProgress.Add(type))
                {
                    return null;
                }

                try
                {
                    var result = Compute(type);
                    _fresh[type] = result;
                    return result;
                }
                finally
                {
                    _inProgress.Remove(type);
                }
            }
        }

        private HashSet<ISymbol>? Compute(ITypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class || type.DeclaringSyntaxReferences.IsEmpty)
            {
                return null;
            }

            var members = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            var spoiled = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            for (var t = type as INamedTypeSymbol; t != null && t.SpecialType != SpecialType.System_Object; t = t.BaseType)
            {
                if (t.DeclaringSyntaxReferences.IsEmpty)
                {
                    // A base class from another assembly: its construction is not visible, nor are its members ours.
                    break;
                }

                foreach (var member in t.GetMembers())
                {
                    if (member.IsStatic || member.IsImplicitlyDeclared)
                    {
                        continue;
                    }

                    if (member is IFieldSymbol || (member is IPropertySymbol p && IsAuto(p)))
                    {
                        members.Add(member.OriginalDefinition);
                    }

                    foreach (var code in ConstructionCode(member))
                    {
                        if (!Quiet(code, spoiled))
                        {
                            return null;
                        }
                    }
                }
            }

            members.ExceptWith(spoiled);
            return members;
        }

        /// <summary>The constructor bodies and initializers of <paramref name="member"/> (operation roots).</summary>
        private IEnumerable<IOperation> ConstructionCode(ISymbol member)
        {
            var constructor = member is IMethodSymbol { MethodKind: MethodKind.Constructor };
            if (!constructor && !(member is IFieldSymbol) && !(member is IPropertySymbol))
            {
                yield break;
            }

            foreach (var reference in member.DeclaringSyntaxReferences)
            {
                var node = reference.GetSyntax();
                SyntaxNode? code = node switch
                {
                    ConstructorDeclarationSyntax c => c,
                    VariableDeclaratorSyntax v => v.Initializer,
                    PropertyDeclarationSyntax p => p.Initializer,
                    _ => null,
                };
                if (code != null && _compilation.GetSemanticModel(node.SyntaxTree).GetOperation(code) is IOperation operation)
                {
                    yield return operation;
                }
            }
        }

        /// <summary>
        /// The construction code uses <c>this</c> only to read and assign its fields and auto-properties;
        /// collects into <paramref name="spoiled"/> the members it uses other than by assigning a fresh value.
        /// </summary>
        private bool Quiet(IOperation code, HashSet<ISymbol> spoiled)
        {
            if (code is IFieldInitializerOperation field)
            {
                foreach (var f in field.InitializedFields)
                {
                    Assigned(f, field.Value, spoiled);
                }
            }
            else if (code is IPropertyInitializerOperation property)
            {
                foreach (var p in property.InitializedProperties)
                {
                    Assigned(p, property.Value, spoiled);
                }
            }

            foreach (var op in code.DescendantsAndSelf())
            {
                switch (op)
                {
                    case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } self:
                        var parent = self.Parent;
                        var allowed = parent switch
                        {
                            IFieldReferenceOperation f => f.Instance == self,
                            IPropertyReferenceOperation p => p.Instance == self && IsAuto(p.Property),
                            IInvocationOperation call => call.Instance == self && call.TargetMethod.MethodKind == MethodKind.Constructor,
                            _ => false,
                        };
                        if (!allowed)
                        {
                            return false;
                        }

                        break;
                    case IFieldReferenceOperation f when !f.Field.IsStatic:
                        Used(f, f.Field, spoiled);
                        break;
                    case IPropertyReferenceOperation p when !p.Property.IsStatic:
                        Used(p, p.Property, spoiled);
                        break;
                }
            }

            return true;
        }

        private void Used(IOperation reference, ISymbol member, HashSet<ISymbol> spoiled)
        {
            if (reference.Parent is ISimpleAssignmentOperation assignment && assignment.Target == reference && !assignment.IsRef)
            {
                Assigned(member, assignment.Value, spoiled);
            }
            else
            {
                spoiled.Add(member.OriginalDefinition);
            }
        }

        private void Assigned(ISymbol member, IOperation value, HashSet<ISymbol> spoiled)
        {
            if (!IsFreshValue(value))
            {
                spoiled.Add(member.OriginalDefinition);
            }
        }

        /// <summary><c>null</c>, <c>default</c>, or a new object whose whole graph is fresh.</summary>
        private bool IsFreshValue(IOperation value)
        {
            while (value is IConversionOperation { OperatorMethod: null } conversion)
            {
                value = conversion.Operand;
            }

            switch (value)
            {
                case IDefaultValueOperation:
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: null } }:
                    return true;
                case IObjectCreationOperation creation when creation.Initializer == null && creation.Type != null &&
                    creation.Arguments.All(a => a.Value.ConstantValue.HasValue):
                    if (creation.Type.DeclaringSyntaxReferences.IsEmpty)
                    {
                        return true;
                    }

                    return FreshMembers(creation.Type) is HashSet<ISymbol> inner && AllInstanceMembersFresh(creation.Type, inner);
                default:
                    return false;
            }
        }

        private static bool AllInstanceMembersFresh(ITypeSymbol type, HashSet<ISymbol> fresh)
        {
            for (var t = type as INamedTypeSymbol; t != null && !t.DeclaringSyntaxReferences.IsEmpty; t = t.BaseType)
            {
                foreach (var member in t.GetMembers())
                {
                    if (!member.IsStatic && !member.IsImplicitlyDeclared && (member is IFieldSymbol || (member is IPropertySymbol p && IsAuto(p))) &&
                        !fresh.Contains(member.OriginalDefinition))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>An auto-property: its accessors only read and write a hidden field.</summary>
        private static bool IsAuto(IPropertySymbol property) =>
            property.ContainingType.GetMembers().OfType<IFieldSymbol>().Any(f => SymbolEqualityComparer.Default.Equals(f.AssociatedSymbol, property));
    }
}
