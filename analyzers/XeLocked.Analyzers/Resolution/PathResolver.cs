using Microsoft.CodeAnalysis;
using XeLocked.LockExpressions;

namespace XeLocked.Analyzers.Resolution
{
    /// <summary>
    /// Resolves the lock paths of an annotation against the symbol it sits on (grammar: docs/rules/XL0010.md): a path
    /// starts at a parameter (methods only), <c>this</c>, a member of the containing type (implicit
    /// <c>this</c>, or a static member), or a type name followed by a static member; further segments
    /// go through fields and properties of each member's type. Thread-safe (no mutable state).
    /// </summary>
    internal sealed class PathResolver
    {
        private readonly Compilation _compilation;
        private readonly System.Lazy<TypeIndex> _types;
        private readonly LockTypeClassifier _classifier;

        public PathResolver(Compilation compilation, System.Lazy<TypeIndex> types, LockTypeClassifier classifier)
        {
            _compilation = compilation;
            _types = types;
            _classifier = classifier;
        }

        /// <summary>Resolves <paramref name="path"/> as written on <paramref name="owner"/>.</summary>
        public PathResolution Resolve(LockPath path, ISymbol owner)
        {
            var containing = owner as INamedTypeSymbol ?? owner.ContainingType;
            var method = owner as IMethodSymbol;
            var segments = path.Segments;
            var first = segments[0];
            AccessPath current;
            ITypeSymbol? type;
            var index = 1;

            // Parameters of the method, then (for lambdas and local functions) of the enclosing methods.
            IParameterSymbol? parameter = null;
            for (var m = method; m != null && parameter == null; m = m.MethodKind == MethodKind.AnonymousFunction || m.MethodKind == MethodKind.LocalFunction ? m.ContainingSymbol as IMethodSymbol : null)
            {
                foreach (var p in m.Parameters)
                {
                    if (p.Name == first)
                    {
                        parameter = p;
                        break;
                    }
                }
            }

            if (parameter != null)
            {
                current = AccessPath.ForParameter(parameter);
                type = parameter.Type;
            }
            else if (first == "this")
            {
                if (owner.IsStatic && !(owner is INamedTypeSymbol))
                {
                    return Fail("'this' is not available in a static member", path, 0);
                }

                current = AccessPath.This;
                type = containing;
            }
            else if (FindMember(containing, first) is ISymbol member)
            {
                if (!member.IsStatic && owner.IsStatic && !(owner is INamedTypeSymbol))
                {
                    return Fail($"'{first}' is an instance member and '{owner.Name}' is static", path, 0);
                }

                current = member.IsStatic ? AccessPath.ForStatic(member) : AccessPath.This.Append(member);
                type = MemberType(member);
            }
            else if (ResolveStaticStart(path, containing, out current, out type, out index) is string staticError)
            {
                return Fail(staticError, path, index);
            }

            for (; index < segments.Count; index++)
            {
                var name = segments[index];
                if (type == null || type.TypeKind == TypeKind.Error)
                {
                    return Fail($"the type of '{segments[index - 1]}' is unknown", path, index - 1);
                }

                var member = FindMember(type, name);
                if (member == null)
                {
                    return Fail($"'{name}' is not a member of '{type.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)}'", path, index);
                }

                current = member.IsStatic ? AccessPath.ForStatic(member) : current.Append(member);
                type = MemberType(member);
            }

            var flavor = _classifier.Classify(type);
            if (!flavor.IsLock())
            {
                var last = segments[segments.Count - 1];
                var typeName = type?.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat) ?? "?";
                var error = type == null || type.TypeKind == TypeKind.Error
                    ? $"the type of '{last}' is unknown"
                    : $"'{last}' is of value type '{typeName}' and cannot be a lock";
                return PathResolution.Failure(error, path.Start, path.Length);
            }

            return PathResolution.Success(current, type, flavor);
        }

        private string? ResolveStaticStart(LockPath path, INamedTypeSymbol? containing, out AccessPath current, out ITypeSymbol? type, out int index)
        {
            var segments = path.Segments;
            current = AccessPath.This;
            type = null;

            // The longest prefix that names a type (Ns.Type.Member or Type.Member), then a static member.
            for (var k = segments.Count - 1; k >= 1; k--)
            {
                var typeName = string.Join(".", Take(segments, k));
                var found = _types.Value.Find(_compilation, typeName, containing);
                if (found == null)
                {
                    continue;
                }

                var member = FindMember(found, segments[k]);
                if (member == null)
                {
                    index = k;
                    return $"'{segments[k]}' is not a member of '{found.Name}'";
                }

                if (!member.IsStatic)
                {
                    index = k;
                    return $"'{found.Name}.{segments[k]}' is not static: start the path at an instance";
                }

                current = AccessPath.ForStatic(member);
                type = MemberType(member);
                index = k + 1;
                return null;
            }

            index = 0;
            var where = containing?.Name ?? "?";
            return segments.Count == 1
                ? $"'{segments[0]}' is not a member of '{where}'"
                : $"'{segments[0]}' is not a parameter, a member of '{where}' or a type";
        }

        private static string[] Take(System.Collections.Generic.IReadOnlyList<string> segments, int count)
        {
            var result = new string[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = segments[i];
            }

            return result;
        }

        private static PathResolution Fail(string message, LockPath path, int segment)
        {
            var start = path.SegmentStarts[segment];
            return PathResolution.Failure(message, start, path.Segments[segment].Length);
        }

        /// <summary>A field or property named <paramref name="name"/> of the type or its bases (and interfaces).</summary>
        public static ISymbol? FindMember(ITypeSymbol? type, string name)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                foreach (var m in t.GetMembers(name))
                {
                    if (m is IFieldSymbol || (m is IPropertySymbol p && !p.IsIndexer))
                    {
                        return m;
                    }
                }
            }

            if (type != null)
            {
                foreach (var i in type.AllInterfaces)
                {
                    foreach (var m in i.GetMembers(name))
                    {
                        if (m is IPropertySymbol p && !p.IsIndexer)
                        {
                            return m;
                        }
                    }
                }
            }

            return null;
        }

        public static ITypeSymbol? MemberType(ISymbol member) => member switch
        {
            IFieldSymbol f => f.Type,
            IPropertySymbol p => p.Type,
            _ => null,
        };
    }
}
