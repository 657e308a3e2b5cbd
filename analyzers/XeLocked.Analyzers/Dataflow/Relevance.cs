using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// A cheap pre-check that keeps the dataflow off bodies with nothing to say about locks: no
    /// contract on the method (declared or inferred), no lock statement, no call with a contract or to a known lock API (<c>SemaphoreSlim</c> included),
    /// no guarded member. Most code of a large project is skipped without building its graph.
    /// </summary>
    internal static class Relevance
    {
        public static bool IsRelevant(CompilationModel model, IMethodSymbol method, IOperation block)
        {
            if (model.Inferred.Effective(method).AffectsCallers)
            {
                return true;
            }

            foreach (var op in block.DescendantsAndSelf())
            {
                switch (op)
                {
                    case ILockOperation:
                        return true;
                    case IInvocationOperation call when IsLockRelated(model, call.TargetMethod):
                        return true;
                    case IFieldReferenceOperation field when model.Contracts.GetGuard(field.Field) != null:
                        return true;
                    case IPropertyReferenceOperation property when model.Contracts.GetGuard(property.Property) != null ||
                        (property.Property.GetMethod is IMethodSymbol g && model.Contracts.GetMethod(g).AffectsCallers) ||
                        (property.Property.SetMethod is IMethodSymbol s && model.Contracts.GetMethod(s).AffectsCallers):
                        return true;
                    case IObjectCreationOperation creation when creation.Constructor != null && model.Contracts.GetMethod(creation.Constructor).AffectsCallers:
                        return true;
                    case IAnonymousFunctionOperation lambda when model.Contracts.GetMethod(lambda.Symbol).AffectsCallers:
                        return true;
                    case ILocalFunctionOperation local when model.Contracts.GetMethod(local.Symbol).AffectsCallers:
                        return true;
                }
            }

            return false;
        }

        private static bool IsLockRelated(CompilationModel model, IMethodSymbol method)
        {
            var type = method.ContainingType;
            var known = model.Known;
            return SymbolEqualityComparer.Default.Equals(type, known.Monitor) ||
                   SymbolEqualityComparer.Default.Equals(type, known.ThreadingLock) ||
                   SymbolEqualityComparer.Default.Equals(type, known.ReaderWriterLockSlim) ||
                   SymbolEqualityComparer.Default.Equals(type, known.Lockdep) ||
                   SymbolEqualityComparer.Default.Equals(type, known.SemaphoreSlim) ||
                   model.Inferred.Effective(method).AffectsCallers;
        }
    }
}
