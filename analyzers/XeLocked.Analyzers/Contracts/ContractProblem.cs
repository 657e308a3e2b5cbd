using Microsoft.CodeAnalysis;

namespace XeLocked.Analyzers.Contracts
{
    /// <summary>A problem found in a contract (XL0010 or XL0005), with its precise location.</summary>
    internal sealed class ContractProblem
    {
        public ContractProblem(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
        {
            Descriptor = descriptor;
            Location = location;
            Arguments = arguments;
        }

        public DiagnosticDescriptor Descriptor { get; }

        public Location Location { get; }

        public object[] Arguments { get; }

        public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location, Arguments);
    }
}
