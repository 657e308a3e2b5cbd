using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.CodeFixes.Shared
{
    /// <summary>Adds <c>[Requires("…")]</c> attributes to a method, local function or accessor declaration.</summary>
    internal static class RequiresAttributeWriter
    {
        private const string AttributeMetadataName = "XeLocked.Annotations.RequiresAttribute";

        /// <summary>
        /// <paramref name="declaration"/> (as rewritten so far, <paramref name="original"/> in the
        /// semantic model's tree) with one <c>[Requires]</c> per expression of
        /// <paramref name="expressions"/> that it does not already carry (compared as written).
        /// </summary>
        public static SyntaxNode AddRequires(SyntaxNode original, SyntaxNode declaration, IEnumerable<string> expressions, SemanticModel model)
        {
            var existing = new HashSet<string>(ExistingRequires(declaration));
            var name = AttributeName(original, model);
            // The new lists take over the declaration's leading trivia (blank lines, comments,
            // indentation); the declaration keeps only its indentation, on its own line.
            var leading = declaration.GetLeadingTrivia();
            var indent = leading.Count > 0 && leading.Last().IsKind(SyntaxKind.WhitespaceTrivia)
                ? SyntaxFactory.TriviaList(leading.Last())
                : SyntaxFactory.TriviaList();
            var eol = declaration.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
            var newLine = eol.IsKind(SyntaxKind.EndOfLineTrivia) ? eol : SyntaxFactory.EndOfLine("\n");

            var lists = new List<AttributeListSyntax>();
            foreach (var expression in expressions.Distinct())
            {
                if (!existing.Add(expression))
                {
                    continue;
                }

                var attribute = SyntaxFactory.Attribute(
                    name,
                    SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.AttributeArgument(SyntaxFactory.LiteralExpression(
                            SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(expression))))));
                lists.Add(SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
                    .WithLeadingTrivia(lists.Count == 0 ? leading : indent)
                    .WithTrailingTrivia(newLine));
            }

            if (lists.Count == 0)
            {
                return declaration;
            }

            // The new lists go after the last [Requires] list that ends its line, so that several
            // requirements keep the order they were added in; otherwise first, taking over the
            // declaration's leading trivia while what came first keeps only the indentation.
            var current = AttributeLists(declaration);
            var after = -1;
            for (var i = 0; i < current.Count; i++)
            {
                if (IsRequires(current[i]) && current[i].GetTrailingTrivia().Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia)))
                {
                    after = i;
                }
            }

            SyntaxList<AttributeListSyntax> all;
            var target = declaration;
            if (after >= 0)
            {
                lists[0] = lists[0].WithLeadingTrivia(indent);
                all = current.InsertRange(after + 1, lists);
            }
            else
            {
                target = declaration.WithLeadingTrivia(indent);
                all = SyntaxFactory.List(lists).AddRange(AttributeLists(target));
            }

            return target switch
            {
                MethodDeclarationSyntax m => m.WithAttributeLists(all),
                LocalFunctionStatementSyntax f => f.WithAttributeLists(all),
                AccessorDeclarationSyntax a => a.WithAttributeLists(all),
                _ => declaration,
            };
        }

        private static bool IsRequires(AttributeListSyntax list) =>
            list.Attributes.Any(a => a.Name.ToString().EndsWith("Requires") || a.Name.ToString().EndsWith("RequiresAttribute"));

        private static SyntaxList<AttributeListSyntax> AttributeLists(SyntaxNode declaration) => declaration switch
        {
            MethodDeclarationSyntax m => m.AttributeLists,
            LocalFunctionStatementSyntax f => f.AttributeLists,
            AccessorDeclarationSyntax a => a.AttributeLists,
            _ => default,
        };

        private static IEnumerable<string> ExistingRequires(SyntaxNode declaration)
        {
            return AttributeLists(declaration).SelectMany(l => l.Attributes)
                .Where(a => a.Name.ToString().EndsWith("Requires") || a.Name.ToString().EndsWith("RequiresAttribute"))
                .Select(a => a.ArgumentList?.Arguments.FirstOrDefault()?.Expression)
                .OfType<LiteralExpressionSyntax>()
                .Select(l => l.Token.ValueText);
        }

        /// <summary><c>Requires</c> where the name binds to XeLocked's attribute, else the qualified name.</summary>
        private static NameSyntax AttributeName(SyntaxNode declaration, SemanticModel model)
        {
            var target = model.Compilation.GetTypeByMetadataName(AttributeMetadataName);
            var visible = model.LookupNamespacesAndTypes(declaration.SpanStart, name: "RequiresAttribute");
            return target != null && visible.Any(s => SymbolEqualityComparer.Default.Equals(s, target))
                ? SyntaxFactory.IdentifierName("Requires")
                : SyntaxFactory.ParseName("XeLocked.Annotations.Requires");
        }
    }
}
