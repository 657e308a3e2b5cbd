using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>Reads the string arguments of XeLocked attributes together with their syntax.</summary>
    internal static class AttributeReader
    {
        /// <summary>The constructor argument at <paramref name="ordinal"/> (a string).</summary>
        public static ExpressionSource Positional(AttributeData attribute, int ordinal, ISymbol owner, CancellationToken ct)
        {
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
            var text = attribute.ConstructorArguments.Length > ordinal ? attribute.ConstructorArguments[ordinal].Value as string : null;
            ExpressionSyntax? argSyntax = null;
            if (syntax?.ArgumentList != null)
            {
                var i = 0;
                foreach (var arg in syntax.ArgumentList.Arguments)
                {
                    if (arg.NameEquals != null)
                    {
                        continue;
                    }

                    if (arg.NameColon != null)
                    {
                        // Named constructor argument: match by parameter name.
                        var ctor = attribute.AttributeConstructor;
                        if (ctor != null && ctor.Parameters.Length > ordinal && ctor.Parameters[ordinal].Name == arg.NameColon.Name.Identifier.ValueText)
                        {
                            argSyntax = arg.Expression;
                        }

                        i++;
                        continue;
                    }

                    if (i++ == ordinal)
                    {
                        argSyntax = arg.Expression;
                    }
                }
            }

            return new ExpressionSource(text, argSyntax, Fallback(syntax, owner));
        }

        /// <summary>The named string argument <paramref name="name"/>, if given.</summary>
        public static ExpressionSource? Named(AttributeData attribute, string name, ISymbol owner, CancellationToken ct)
        {
            foreach (var kv in attribute.NamedArguments)
            {
                if (kv.Key != name)
                {
                    continue;
                }

                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
                return new ExpressionSource(kv.Value.Value as string, NamedSyntax(syntax, name), Fallback(syntax, owner));
            }

            return null;
        }

        /// <summary>The named enum or integer argument <paramref name="name"/>, or 0 when not given.</summary>
        public static int NamedInt(AttributeData attribute, string name)
        {
            foreach (var kv in attribute.NamedArguments)
            {
                if (kv.Key == name && kv.Value.Value is int value)
                {
                    return value;
                }
            }

            return 0;
        }

        /// <summary>The elements of the named string-array argument <paramref name="name"/>.</summary>
        public static List<ExpressionSource> NamedArray(AttributeData attribute, string name, ISymbol owner, CancellationToken ct)
        {
            var result = new List<ExpressionSource>();
            foreach (var kv in attribute.NamedArguments)
            {
                if (kv.Key != name || kv.Value.Kind != TypedConstantKind.Array || kv.Value.IsNull)
                {
                    continue;
                }

                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
                var elements = ElementSyntax(NamedSyntax(syntax, name));
                var values = kv.Value.Values;
                for (var i = 0; i < values.Length; i++)
                {
                    var elementSyntax = elements != null && elements.Count == values.Length ? elements[i] : null;
                    result.Add(new ExpressionSource(values[i].Value as string, elementSyntax ?? NamedSyntax(syntax, name), Fallback(syntax, owner)));
                }
            }

            return result;
        }

        private static ExpressionSyntax? NamedSyntax(AttributeSyntax? syntax, string name)
        {
            if (syntax?.ArgumentList == null)
            {
                return null;
            }

            foreach (var arg in syntax.ArgumentList.Arguments)
            {
                if (arg.NameEquals?.Name.Identifier.ValueText == name)
                {
                    return arg.Expression;
                }
            }

            return null;
        }

        private static List<ExpressionSyntax>? ElementSyntax(ExpressionSyntax? array)
        {
            InitializerExpressionSyntax? init = array switch
            {
                ArrayCreationExpressionSyntax a => a.Initializer,
                ImplicitArrayCreationExpressionSyntax i => i.Initializer,
                _ => null,
            };
            if (init != null)
            {
                return new List<ExpressionSyntax>(init.Expressions);
            }

            if (array is CollectionExpressionSyntax collection)
            {
                var list = new List<ExpressionSyntax>();
                foreach (var e in collection.Elements)
                {
                    if (e is ExpressionElementSyntax ee)
                    {
                        list.Add(ee.Expression);
                    }
                    else
                    {
                        return null;
                    }
                }

                return list;
            }

            return null;
        }

        private static Location Fallback(AttributeSyntax? syntax, ISymbol owner) =>
            syntax?.GetLocation() ?? (owner.Locations.Length > 0 ? owner.Locations[0] : Location.None);
    }
}
