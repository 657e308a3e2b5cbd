using System.Text;

namespace XeLocked.Sim.Graph;

/// <summary>Turns a lock class name into an identifier valid in both Mermaid and DOT.</summary>
internal static class NodeId
{
    /// <summary><c>"Vm.Lock"</c> → <c>"Vm_Lock"</c>: every character that is not a letter or digit becomes <c>_</c>.</summary>
    public static string For(string className)
    {
        var sb = new StringBuilder(className.Length);
        foreach (var ch in className)
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '_');
        }

        return sb.ToString();
    }
}
