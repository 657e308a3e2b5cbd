namespace XeLocked.Sim.Graph;

/// <summary>
/// The generated block of <c>docs/lock-hierarchy.md</c>: a fenced Mermaid block between two
/// marker comments, which <c>graph --update-doc</c> rewrites and the staleness test compares.
/// </summary>
public static class DocBlock
{
    /// <summary>The line that opens the generated block.</summary>
    public const string Begin = "<!-- BEGIN GENERATED: dotnet run --project runtime/XeLocked.Sim -- graph --update-doc docs/lock-hierarchy.md -->";

    /// <summary>The line that closes the generated block.</summary>
    public const string End = "<!-- END GENERATED -->";

    /// <summary>The full block (markers included) for a Mermaid source.</summary>
    /// <param name="mermaid">The Mermaid source, as <see cref="MermaidRenderer.Render"/> returns it.</param>
    public static string Wrap(string mermaid) => $"{Begin}\n```mermaid\n{mermaid}```\n{End}";

    /// <summary>Extracts the Mermaid source of the generated block in <paramref name="document"/>, or null when there is none.</summary>
    /// <param name="document">The Markdown text.</param>
    public static string? Extract(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.ReplaceLineEndings("\n");
        var (start, end) = Find(text);
        if (start < 0)
        {
            return null;
        }

        var inner = text[(start + Begin.Length)..end].Trim('\n');
        const string Open = "```mermaid\n", Close = "```";
        if (!inner.StartsWith(Open, StringComparison.Ordinal) || !inner.EndsWith(Close, StringComparison.Ordinal))
        {
            return null;
        }

        return inner[Open.Length..^Close.Length];
    }

    /// <summary>Replaces the generated block of <paramref name="document"/> with one for <paramref name="mermaid"/>.</summary>
    /// <param name="document">The Markdown text; it must contain both markers.</param>
    /// <param name="mermaid">The new Mermaid source.</param>
    /// <returns>The updated document.</returns>
    /// <exception cref="FormatException">The markers are missing or out of order.</exception>
    public static string Replace(string document, string mermaid)
    {
        ArgumentNullException.ThrowIfNull(document);
        var text = document.ReplaceLineEndings("\n");
        var (start, end) = Find(text);
        if (start < 0)
        {
            throw new FormatException($"the document has no generated block (expected the lines '{Begin}' and '{End}')");
        }

        return text[..start] + Wrap(mermaid) + text[(end + End.Length)..];
    }

    private static (int Start, int End) Find(string text)
    {
        var start = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : text.IndexOf(End, start + Begin.Length, StringComparison.Ordinal);
        return start < 0 || end < 0 ? (-1, -1) : (start, end);
    }
}
