using System.Globalization;

namespace XeLocked.Sim.Output;

/// <summary>A benchmark target and what was measured against it.</summary>
/// <param name="Name">What is measured, e.g. <c>"svm-parallel fine/coarse speedup"</c>.</param>
/// <param name="Goal">The target value.</param>
/// <param name="Measured">The measured value.</param>
/// <param name="Note">How the value is computed.</param>
/// <param name="Exact">True when the target is "exactly <see cref="Goal"/>", false for "at least".</param>
public sealed record BenchTarget(string Name, double Goal, double Measured, string Note, bool Exact = false)
{
    /// <summary>True when <see cref="Measured"/> reaches <see cref="Goal"/> (or equals it, for an exact target).</summary>
    public bool Met => Exact ? Math.Abs(Measured - Goal) < 1e-9 : Measured >= Goal;

    /// <summary>A one-line summary, e.g. <c>"svm-parallel speedup: 7.41 (target >= 6) met"</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name}: {Measured:0.00} (target {(Exact ? "==" : ">=")} {Goal:0.##}) {(Met ? "met" : "MISSED")}");
}
