namespace XeLocked.Locking;

/// <summary>One lockdep report: its kind, the lock classes involved, and the full text.</summary>
public sealed class LockdepReport
{
    /// <summary>Creates a report.</summary>
    public LockdepReport(LockdepViolationKind kind, IReadOnlyList<string> classes, string text)
    {
        Kind = kind;
        Classes = classes;
        Text = text;
    }

    /// <summary>What the report is about.</summary>
    public LockdepViolationKind Kind { get; }

    /// <summary>The lock class names involved, the lock being acquired or released first.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The report as lockdep would print it.</summary>
    public string Text { get; }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
