using System.Reflection;

namespace XeLocked.Sim.Graph;

/// <summary>The assembly of the Xe model, whose <c>[LockOrder]</c> attributes the graph shows.</summary>
internal static class ModelAssembly
{
    /// <summary>Loads <c>XeLocked.Xe</c> (a project reference, so it sits beside the program).</summary>
    public static Assembly Load() => Assembly.Load(new AssemblyName("XeLocked.Xe"));
}
