using System.Text.Json;

namespace XeLocked.Analyzers.Tests.Package;

/// <summary>A rule descriptor as the compiler lists it in a SARIF 2.1 error log.</summary>
/// <param name="Id">The diagnostic ID.</param>
/// <param name="HelpUri">The rule's help link, if it has one.</param>
internal sealed record SarifRule(string Id, string? HelpUri);

/// <summary>A reported diagnostic in a SARIF 2.1 error log.</summary>
/// <param name="RuleId">The diagnostic ID.</param>
/// <param name="Level"><c>error</c>, <c>warning</c> or <c>note</c>.</param>
/// <param name="Uri">The source file URI.</param>
/// <param name="Line">1-based start line.</param>
/// <param name="Column">1-based start column.</param>
internal sealed record SarifResult(string RuleId, string Level, string Uri, int Line, int Column);

/// <summary>
/// The parts of the compiler's SARIF 2.1 error log (<c>-p:ErrorLog=file%2Cversion=2.1</c>) the
/// package tests read: every rule of every analyzer the compiler loaded (reported or not), with
/// its help link, and the reported results.
/// </summary>
internal sealed class SarifLog
{
    private SarifLog(IReadOnlyList<SarifRule> rules, IReadOnlyList<SarifResult> results)
    {
        Rules = rules;
        Results = results;
    }

    /// <summary>The rule descriptors of all loaded analyzers.</summary>
    public IReadOnlyList<SarifRule> Rules { get; }

    /// <summary>The diagnostics reported (warnings and errors; hidden ones are not logged).</summary>
    public IReadOnlyList<SarifResult> Results { get; }

    /// <summary>Reads a SARIF 2.1 log written by csc; throws if it is not one.</summary>
    public static SarifLog Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        if (root.GetProperty("version").GetString() != "2.1.0")
        {
            throw new InvalidDataException($"{path}: expected a SARIF 2.1.0 log, found version {root.GetProperty("version")}.");
        }

        var rules = new List<SarifRule>();
        var results = new List<SarifResult>();
        foreach (var run in root.GetProperty("runs").EnumerateArray())
        {
            if (run.TryGetProperty("tool", out var tool) && tool.GetProperty("driver").TryGetProperty("rules", out var ruleArray))
            {
                foreach (var rule in ruleArray.EnumerateArray())
                {
                    rules.Add(new SarifRule(
                        rule.GetProperty("id").GetString()!,
                        rule.TryGetProperty("helpUri", out var help) ? help.GetString() : null));
                }
            }

            foreach (var result in run.GetProperty("results").EnumerateArray())
            {
                string uri = "";
                int line = 0, column = 0;
                if (result.TryGetProperty("locations", out var locations) && locations.GetArrayLength() > 0)
                {
                    var physical = locations[0].GetProperty("physicalLocation");
                    uri = physical.GetProperty("artifactLocation").GetProperty("uri").GetString() ?? "";
                    var region = physical.GetProperty("region");
                    line = region.GetProperty("startLine").GetInt32();
                    column = region.TryGetProperty("startColumn", out var col) ? col.GetInt32() : 1;
                }

                results.Add(new SarifResult(
                    result.GetProperty("ruleId").GetString()!,
                    result.TryGetProperty("level", out var level) ? level.GetString()! : "warning",
                    uri,
                    line,
                    column));
            }
        }

        return new SarifLog(rules, results);
    }
}
