using System.Globalization;

namespace XeLocked.Sim.Cli;

/// <summary>
/// Parses the durations of the command line: a number with a unit <c>us</c>, <c>ms</c>,
/// <c>s</c> or <c>m</c> (<c>200us</c>, <c>1.5ms</c>, <c>30s</c>, <c>2m</c>). A bare number
/// uses the option's default unit.
/// </summary>
public static class DurationParser
{
    private static readonly (string Suffix, double TicksPerUnit)[] Units =
    {
        ("us", TimeSpan.TicksPerMillisecond / 1000.0),
        ("µs", TimeSpan.TicksPerMillisecond / 1000.0),
        ("ms", TimeSpan.TicksPerMillisecond),
        ("s", TimeSpan.TicksPerSecond),
        ("m", TimeSpan.TicksPerMinute),
    };

    /// <summary>Parses <paramref name="text"/>; false (with a message) when it is not a non-negative duration.</summary>
    /// <param name="text">The token, e.g. <c>"200us"</c>.</param>
    /// <param name="defaultUnit">The unit of a bare number: <c>"us"</c>, <c>"ms"</c>, <c>"s"</c> or <c>"m"</c>.</param>
    /// <param name="value">The duration when the result is true.</param>
    /// <param name="error">Why the text is not a duration when the result is false.</param>
    public static bool TryParse(string text, string defaultUnit, out TimeSpan value, out string? error)
    {
        value = TimeSpan.Zero;
        error = null;
        var t = text.Trim();
        var unit = Units.FirstOrDefault(u => t.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase)
                                             && !(u.Suffix == "s" && (t.EndsWith("us", StringComparison.OrdinalIgnoreCase)
                                                                     || t.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
                                                                     || t.EndsWith("µs", StringComparison.OrdinalIgnoreCase))));
        string number;
        double ticksPerUnit;
        if (unit.Suffix is null)
        {
            number = t;
            ticksPerUnit = Units.First(u => u.Suffix == defaultUnit).TicksPerUnit;
        }
        else
        {
            number = t[..^unit.Suffix.Length];
            ticksPerUnit = unit.TicksPerUnit;
        }

        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || double.IsNaN(n) || double.IsInfinity(n))
        {
            error = $"'{text}' is not a duration; write a number with a unit, e.g. 200us, 5ms, 30s or 2m";
            return false;
        }

        if (n < 0)
        {
            error = $"'{text}' is negative; a duration must be zero or more";
            return false;
        }

        var ticks = n * ticksPerUnit;
        if (ticks > TimeSpan.FromDays(1).Ticks)
        {
            error = $"'{text}' is longer than a day";
            return false;
        }

        value = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    /// <summary>Formats a duration compactly with the largest fitting unit (<c>250us</c>, <c>1.5ms</c>, <c>30s</c>).</summary>
    public static string Format(TimeSpan d) =>
        d.Ticks < TimeSpan.TicksPerMillisecond ? $"{d.Ticks / 10.0:0.#}us"
        : d.Ticks < TimeSpan.TicksPerSecond ? $"{d.TotalMilliseconds:0.###}ms"
        : $"{d.TotalSeconds:0.###}s";
}
