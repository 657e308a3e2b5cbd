using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// The members of the BCL's non-concurrent collections that modify the collection
    /// (<c>List&lt;T&gt;.Add</c>, <c>Dictionary&lt;K,V&gt;.Remove</c>, an indexer set, …). A call of one
    /// on a guarded field or property (<c>_items.Add(x)</c>) is a write of that member for its lock's
    /// mode (XL0003 under a read lock), not only the read of the reference. The concurrent collections
    /// (<c>System.Collections.Concurrent</c>) are not listed: their members synchronize themselves.
    /// The method that binds decides: a call through an interface (<c>ICollection&lt;T&gt;.Add</c>)
    /// counts whatever the object is.
    /// </summary>
    internal static class CollectionMutators
    {
        private static readonly string[] s_collection = { "Add", "Remove", "Clear" };
        private static readonly string[] s_list = { "Add", "AddRange", "Clear", "Insert", "InsertRange", "Remove", "RemoveAll", "RemoveAt", "RemoveRange", "Reverse", "Sort", "TrimExcess", "EnsureCapacity", "SetRange" };
        private static readonly string[] s_dictionary = { "Add", "TryAdd", "Remove", "Clear", "TrimExcess", "EnsureCapacity", "RemoveAt", "SetValueAtIndex", "Insert" };
        private static readonly string[] s_set = { "Add", "Remove", "RemoveWhere", "Clear", "UnionWith", "IntersectWith", "ExceptWith", "SymmetricExceptWith", "TrimExcess", "EnsureCapacity" };
        private static readonly string[] s_queue = { "Enqueue", "Dequeue", "TryDequeue", "EnqueueDequeue", "DequeueEnqueue", "EnqueueRange", "Remove", "Clear", "TrimExcess", "EnsureCapacity" };
        private static readonly string[] s_stack = { "Push", "Pop", "TryPop", "Clear", "TrimExcess", "EnsureCapacity" };
        private static readonly string[] s_linkedList = { "AddAfter", "AddBefore", "AddFirst", "AddLast", "Remove", "RemoveFirst", "RemoveLast", "Clear" };

        /// <summary>Declaring type (metadata name) → its mutating methods. Indexer sets of these types are mutations too.</summary>
        private static readonly Dictionary<string, string[]> s_mutators = new Dictionary<string, string[]>
        {
            ["System.Collections.Generic.List`1"] = s_list,
            ["System.Collections.Generic.Dictionary`2"] = s_dictionary,
            ["System.Collections.Generic.HashSet`1"] = s_set,
            ["System.Collections.Generic.SortedSet`1"] = s_set,
            ["System.Collections.Generic.Queue`1"] = s_queue,
            ["System.Collections.Generic.PriorityQueue`2"] = s_queue,
            ["System.Collections.Generic.Stack`1"] = s_stack,
            ["System.Collections.Generic.LinkedList`1"] = s_linkedList,
            ["System.Collections.Generic.SortedDictionary`2"] = s_dictionary,
            ["System.Collections.Generic.SortedList`2"] = s_dictionary,
            ["System.Collections.Generic.OrderedDictionary`2"] = s_dictionary,
            ["System.Collections.ObjectModel.Collection`1"] = new[] { "Add", "Clear", "Insert", "Remove", "RemoveAt" },
            ["System.Collections.ObjectModel.ObservableCollection`1"] = new[] { "Move" },
            ["System.Collections.ObjectModel.KeyedCollection`2"] = new[] { "Remove" },
            ["System.Collections.Generic.ICollection`1"] = s_collection,
            ["System.Collections.Generic.IList`1"] = new[] { "Insert", "RemoveAt" },
            ["System.Collections.Generic.IDictionary`2"] = new[] { "Add", "Remove" },
            ["System.Collections.Generic.ISet`1"] = s_set,
            ["System.Collections.IList"] = new[] { "Add", "Clear", "Insert", "Remove", "RemoveAt" },
            ["System.Collections.IDictionary"] = new[] { "Add", "Clear", "Remove" },
            ["System.Collections.ArrayList"] = s_list,
            ["System.Collections.Hashtable"] = new[] { "Add", "Clear", "Remove" },
            ["System.Collections.Queue"] = s_queue,
            ["System.Collections.Stack"] = s_stack,
            ["System.Collections.Generic.CollectionExtensions"] = new[] { "TryAdd", "Remove", "AddRange", "InsertRange" },
        };

        /// <summary>
        /// True when <paramref name="reference"/> (a guarded field or property reference) is the
        /// collection a mutating member is called on: the receiver of a listed method, the first
        /// argument of a listed extension method, or the object of an indexer of a listed type that is
        /// assigned (<c>_map[k] = v</c>, <c>_counts[k]++</c>).
        /// </summary>
        public static bool Mutates(IOperation reference, FlowUses? uses)
        {
            var current = reference;
            while (current.Parent is IConversionOperation conversion && conversion.OperatorMethod == null)
            {
                current = conversion;
            }

            switch (current.Parent)
            {
                case IInvocationOperation call when call.Instance == current:
                    return IsMutator(call.TargetMethod);
                case IArgumentOperation argument when argument.Parent is IInvocationOperation call && call.TargetMethod.IsExtensionMethod &&
                                                      argument.Parameter?.Ordinal == 0:
                    return IsMutator(call.TargetMethod);
                case IPropertyReferenceOperation indexer when indexer.Instance == current && indexer.Property.IsIndexer:
                    return IsListed(indexer.Property.ContainingType) && AccessClassifier.Classify(indexer, uses).IsWrite;
                default:
                    return false;
            }
        }

        private static bool IsMutator(IMethodSymbol method)
        {
            var definition = (method.ReducedFrom ?? method).OriginalDefinition;
            for (var type = definition.ContainingType; type != null; type = type.BaseType)
            {
                if (s_mutators.TryGetValue(MetadataName(type.OriginalDefinition), out var names) && System.Array.IndexOf(names, definition.Name) >= 0)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsListed(INamedTypeSymbol type)
        {
            for (var t = type; t != null; t = t.BaseType)
            {
                if (s_mutators.ContainsKey(MetadataName(t.OriginalDefinition)))
                {
                    return true;
                }
            }

            return false;
        }

        private static string MetadataName(INamedTypeSymbol type)
        {
            var ns = type.ContainingNamespace?.IsGlobalNamespace == false ? type.ContainingNamespace.ToDisplayString() + "." : "";
            return ns + type.MetadataName;
        }
    }
}
