using System.Text.RegularExpressions;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>
/// One diagnostic line of MSBuild's console output, such as
/// <c>/src/A.cs(22,17): error XL0001: message (https://help/link) [/src/A.csproj]</c>.
/// </summary>
/// <param name="Origin">The file (or tool, e.g. <c>CSC</c>) the diagnostic is reported on.</param>
/// <param name="Line">1-based line, 0 when the diagnostic has no position.</param>
/// <param name="Column">1-based column, 0 when the diagnostic has no position.</param>
/// <param name="Severity"><c>error</c>, <c>warning</c> or <c>info</c>.</param>
/// <param name="Id">The diagnostic ID, e.g. <c>XL0001</c>, <c>CS9057</c>, <c>NU1301</c>.</param>
/// <param name="Message">The message text without help link and project suffix.</param>
/// <param name="HelpLink">The help link the compiler appended in parentheses, if any.</param>
internal sealed partial record BuildDiagnostic(
    string Origin, int Line, int Column, string Severity, string Id, string Message, string? HelpLink)
{
    [GeneratedRegex(
        @"^\s*(?<origin>.*?)(?:\((?<line>\d+),(?<col>\d+)(?:,\d+,\d+)?\))?\s*:\s*(?<severity>error|warning|info)\s+(?<id>[A-Za-z]+\d+)\s*:\s*(?<message>.*?)(?:\s+\[(?<project>[^\[\]]+)\])?\s*$")]
    private static partial Regex LinePattern();

    [GeneratedRegex(@"^(?<text>.*?)\s+\((?<link>https?://[^\s()]+)\)$")]
    private static partial Regex HelpLinkPattern();

    /// <summary>File name of <see cref="Origin"/> (the last path segment).</summary>
    public string FileName => Path.GetFileName(Origin);

    /// <summary>
    /// Every distinct diagnostic in <paramref name="output"/> (MSBuild prints each one twice:
    /// as it happens and again in the summary).
    /// </summary>
    public static IReadOnlyList<BuildDiagnostic> Parse(string output)
    {
        var found = new List<BuildDiagnostic>();
        foreach (var rawLine in output.Split('\n'))
        {
            var match = LinePattern().Match(rawLine.TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }

            var message = match.Groups["message"].Value;
            string? link = null;
            var linkMatch = HelpLinkPattern().Match(message);
            if (linkMatch.Success)
            {
                message = linkMatch.Groups["text"].Value;
                link = linkMatch.Groups["link"].Value;
            }

            var diagnostic = new BuildDiagnostic(
                match.Groups["origin"].Value.Trim(),
                match.Groups["line"].Success ? int.Parse(match.Groups["line"].Value) : 0,
                match.Groups["col"].Success ? int.Parse(match.Groups["col"].Value) : 0,
                match.Groups["severity"].Value,
                match.Groups["id"].Value,
                message,
                link);
            if (!found.Contains(diagnostic))
            {
                found.Add(diagnostic);
            }
        }

        return found;
    }

    /// <summary>The diagnostic as MSBuild shows it, for assertion messages.</summary>
    public override string ToString() =>
        $"{Origin}({Line},{Column}): {Severity} {Id}: {Message}" + (HelpLink is null ? "" : $" ({HelpLink})");
}
