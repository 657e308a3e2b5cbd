using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace XeLocked.Analyzers.Ownership
{
    /// <summary>
    /// The simple names used in the compilation's source (identifiers of names, member accesses,
    /// generic names), each with the syntax nodes that use it: the candidates for "every reference to
    /// this member". Built once per compilation, on first use, in one walk over the syntax trees.
    /// </summary>
    internal sealed class NameIndex
    {
        private readonly Dictionary<string, List<SimpleNameSyntax>> _uses = new Dictionary<string, List<SimpleNameSyntax>>();

        public NameIndex(Compilation compilation)
        {
            foreach (var tree in compilation.SyntaxTrees)
            {
                foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    var text = name.Identifier.ValueText;
                    if (!_uses.TryGetValue(text, out var list))
                    {
                        _uses[text] = list = new List<SimpleNameSyntax>();
                    }

                    list.Add(name);
                }
            }
        }

        /// <summary>The names spelled <paramref name="name"/>, in tree order.</summary>
        public IReadOnlyList<SimpleNameSyntax> Uses(string name) =>
            _uses.TryGetValue(name, out var list) ? list : (IReadOnlyList<SimpleNameSyntax>)System.Array.Empty<SimpleNameSyntax>();
    }
}
