namespace XeLocked.Locking;

/// <summary>One lockdep report: its kind, the lock classes involved, and the full text.</summary>
public sealed class LockdepReport
{
    /// <summary>Creates a report.</summary>
    /// <param name="kind">What the report is about.</param>
    /// <param name="classes">The lock class names involved, the lock being acquired or released first.</param>
    /// <param name="text">The report as lockdep would print it.</param>
    public LockdepReport(LockdepViolationKind kind, IReadOnlyList<string> classes, string text)
        : this(kind, classes, text, location: "")
    {
    }

    internal LockdepReport(LockdepViolationKind kind, IReadOnlyList<string> classes, string text, string location)
    {
        Kind = kind;
        Classes = classes;
        Text = text;
        Location = location;
    }

    /// <summary>What the report is about.</summary>
    public LockdepViolationKind Kind { get; }

    /// <summary>
    /// The lock class names involved, the lock being acquired or released first. For a circular
    /// dependency: the new lock, then the classes along the existing chain, ending with the held one.
    /// </summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The report as lockdep would print it.</summary>
    public string Text { get; }

    /// <summary><c>file:line</c> of the offending call, or empty when there is none (finalizer).</summary>
    public string Location { get; }

    /// <summary>Identity of the report for de-duplication in the recording mode.</summary>
    internal string Signature => $"{Kind}|{string.Join(",", Classes)}|{Location}";

    /// <inheritdoc/>
    public override string ToString() => Text;
}
