using System.Text;

namespace XeLocked.Sim.Graph;

/// <summary>
/// Renders a <see cref="LockHierarchy"/> in Graphviz DOT (top = acquired first). Declared edges
/// are solid; observed-only edges are dashed, inverted ones red.
/// </summary>
public static class DotRenderer
{
    /// <summary>Renders <paramref name="hierarchy"/> as a DOT digraph, "\n" line ends.</summary>
    /// <param name="hierarchy">The hierarchy to render.</param>
    /// <returns>The DOT source.</returns>
    public static string Render(LockHierarchy hierarchy)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        var sb = new StringBuilder();
        sb.Append("digraph lock_hierarchy {\n");
        sb.Append("    rankdir=TB;\n");
        sb.Append("    node [shape=box, fontname=\"monospace\"];\n");
        foreach (var c in hierarchy.Classes)
        {
            sb.Append($"    {NodeId.For(c)} [label=\"{c}\"];\n");
        }

        foreach (var e in hierarchy.Edges)
        {
            var attributes = e.Origin switch
            {
                EdgeOrigin.Declared => "",
                EdgeOrigin.DeclaredAndObserved => " [penwidth=2, label=\"observed\"]",
                EdgeOrigin.ObservedImplied => " [style=dashed, label=\"implied\"]",
                EdgeOrigin.ObservedUndeclared => " [style=dashed, label=\"undeclared\"]",
                EdgeOrigin.ObservedInverted => " [style=dashed, color=red, label=\"INVERTED\"]",
                _ => throw new ArgumentOutOfRangeException(nameof(hierarchy), e.Origin, "unknown edge origin"),
            };
            sb.Append($"    {NodeId.For(e.Outer)} -> {NodeId.For(e.Inner)}{attributes};\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }
}
