using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Resolution
{
    /// <summary>
    /// The compilation's own types by simple name, and its members that carry a given attribute,
    /// collected in one walk over the source assembly. Built once per compilation (lazily).
    /// </summary>
    internal sealed class TypeIndex
    {
        private readonly Dictionary<string, List<INamedTypeSymbol>> _byName = new Dictionary<string, List<INamedTypeSymbol>>();

        public TypeIndex(Compilation compilation, INamedTypeSymbol? lockOrderAttribute)
        {
            var withOrder = ImmutableArray.CreateBuilder<ISymbol>();
            var stack = new Stack<INamespaceOrTypeSymbol>();
            stack.Push(compilation.Assembly.GlobalNamespace);
            while (stack.Count > 0)
            {
                var current = stack.Pop();
                foreach (var member in current.GetMembers())
                {
                    if (member is INamespaceSymbol ns)
                    {
                        stack.Push(ns);
                    }
                    else if (member is INamedTypeSymbol type)
                    {
                        if (!_byName.TryGetValue(type.Name, out var list))
                        {
                            _byName[type.Name] = list = new List<INamedTypeSymbol>();
                        }

                        list.Add(type);
                        stack.Push(type);
                    }
                    else if (lockOrderAttribute != null && (member is IFieldSymbol || member is IPropertySymbol))
                    {
                        foreach (var a in member.GetAttributes())
                        {
                            if (SymbolEqualityComparer.Default.Equals(a.AttributeClass, lockOrderAttribute))
                            {
                                withOrder.Add(member);
                                break;
                            }
                        }
                    }
                }
            }

            MembersWithLockOrder = withOrder.ToImmutable();
        }

        /// <summary>Every source field or property with <c>[LockOrder]</c>.</summary>
        public ImmutableArray<ISymbol> MembersWithLockOrder { get; }

        /// <summary>
        /// Finds a type named <paramref name="name"/>: a dotted metadata name, or a simple name
        /// looked up first around <paramref name="context"/> (nested and enclosing types,
        /// namespaces) and then anywhere in the compilation.
        /// </summary>
        public INamedTypeSymbol? Find(Compilation compilation, string name, INamedTypeSymbol? context)
        {
            if (name.IndexOf('.') >= 0)
            {
                return compilation.GetTypeByMetadataName(name);
            }

            for (var t = context; t != null; t = t.ContainingType)
            {
                if (t.Name == name)
                {
                    return t;
                }

                foreach (var nested in t.GetTypeMembers(name))
                {
                    return nested;
                }
            }

            for (var ns = context?.ContainingNamespace; ns != null; ns = ns.ContainingNamespace)
            {
                foreach (var t in ns.GetTypeMembers(name))
                {
                    return t;
                }
            }

            if (_byName.TryGetValue(name, out var list) && list.Count > 0)
            {
                return list[0];
            }

            return null;
        }
    }
}
