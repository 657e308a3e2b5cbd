using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Identifies a value the analysis follows through a body: a local, a flow capture, or (for a
    /// try-acquire tested directly in a branch) the invocation itself. Used for guard variables
    /// (<c>using var g = m.Guard()</c>) and for try-acquire results.
    /// </summary>
    internal readonly struct FlowKey : IEquatable<FlowKey>
    {
        private readonly object _value;

        private FlowKey(object value) => _value = value;

        public static FlowKey ForLocal(ILocalSymbol local) => new FlowKey(local);

        public static FlowKey ForCapture(CaptureId id) => new FlowKey(id);

        public static FlowKey ForOperation(IOperation operation) => new FlowKey(operation);

        public bool IsDefault => _value == null;

        public bool Equals(FlowKey other) => _value is ISymbol s
            ? SymbolEqualityComparer.Default.Equals(s, other._value as ISymbol)
            : Equals(_value, other._value);

        public override bool Equals(object? obj) => obj is FlowKey k && Equals(k);

        public override int GetHashCode() => _value is ISymbol s ? SymbolEqualityComparer.Default.GetHashCode(s) : _value?.GetHashCode() ?? 0;
    }
}
