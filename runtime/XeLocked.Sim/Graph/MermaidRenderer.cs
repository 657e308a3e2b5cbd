using System.Text;

namespace XeLocked.Sim.Graph;

/// <summary>
/// Renders a <see cref="LockHierarchy"/> as a Mermaid flowchart (top = acquired first). Declared
/// edges are solid arrows; observed-only edges are dotted and labelled with what lockdep saw.
/// </summary>
public static class MermaidRenderer
{
    /// <summary>Renders <paramref name="hierarchy"/> as Mermaid text, one statement per line, "\n" line ends.</summary>
    /// <param name="hierarchy">The hierarchy to render.</param>
    /// <returns>The Mermaid source, starting with <c>flowchart TD</c>.</returns>
    public static string Render(LockHierarchy hierarchy)
    {
        ArgumentNullException.ThrowIfNull(hierarchy);
        var sb = new StringBuilder();
        sb.Append("flowchart TD\n");
        foreach (var c in hierarchy.Classes)
        {
            sb.Append($"    {NodeId.For(c)}[\"{c}\"]\n");
        }

        foreach (var e in hierarchy.Edges)
        {
            var arrow = e.Origin switch
            {
                EdgeOrigin.Declared => "-->",
                EdgeOrigin.DeclaredAndObserved => "==>",
                EdgeOrigin.ObservedImplied => "-.->|implied|",
                EdgeOrigin.ObservedUndeclared => "-.->|undeclared|",
                EdgeOrigin.ObservedInverted => "-.->|INVERTED|",
                _ => throw new ArgumentOutOfRangeException(nameof(hierarchy), e.Origin, "unknown edge origin"),
            };
            sb.Append($"    {NodeId.For(e.Outer)} {arrow} {NodeId.For(e.Inner)}\n");
        }

        return sb.ToString();
    }
}
