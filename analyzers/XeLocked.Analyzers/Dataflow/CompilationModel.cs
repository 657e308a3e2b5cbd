using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using XeLocked.Analyzers.Contracts;
using XeLocked.Analyzers.Resolution;
using XeLocked.Analyzers.Shared;

namespace XeLocked.Analyzers.Dataflow
{
    /// <summary>
    /// Everything the XL analyzers share about one compilation: known symbols, the contract
    /// cache, the declared lock order and the per-body dataflow results. One instance per
    /// compilation (kept in a weak table, so it goes away with the compilation); thread-safe.
    /// </summary>
    internal sealed class CompilationModel
    {
        private static readonly ConditionalWeakTable<Compilation, CompilationModel> s_models =
            new ConditionalWeakTable<Compilation, CompilationModel>();

        private readonly Lazy<TypeIndex> _types;
        private readonly Lazy<LockOrderGraph> _order;
        private readonly Lazy<Ownership.OwnershipIndex> _ownership;

        private CompilationModel(Compilation compilation)
        {
            Compilation = compilation;
            Known = new KnownSymbols(compilation);
            Classifier = new LockTypeClassifier(Known);
            _types = new Lazy<TypeIndex>(() => new TypeIndex(compilation, Known.LockOrder), LazyThreadSafetyMode.ExecutionAndPublication);
            Expressions = new ExpressionResolver(new PathResolver(compilation, _types, Classifier));
            Contracts = new ContractStore(Known, Expressions);
            _order = new Lazy<LockOrderGraph>(() => new LockOrderGraph(compilation, Known, Types, Classifier, CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);
            Flow = new FlowResultCache(this);
            _ownership = new Lazy<Ownership.OwnershipIndex>(() => new Ownership.OwnershipIndex(compilation, Known.Monitor),
                LazyThreadSafetyMode.ExecutionAndPublication);
            Semaphores = new SemaphoreLocks(compilation, Known, Contracts, _types, _order);
            Inferred = new InferredContractStore(this);
        }

        /// <summary>The contracts calls apply: declared, or inferred for contract-less wrapper methods.</summary>
        public InferredContractStore Inferred { get; }

        /// <summary>Per-block dataflow results, shared by the rule analyzers.</summary>
        public FlowResultCache Flow { get; }

        public Compilation Compilation { get; }

        public KnownSymbols Known { get; }

        public LockTypeClassifier Classifier { get; }

        public TypeIndex Types => _types.Value;

        public ContractStore Contracts { get; }

        /// <summary>Parses and resolves one lock expression (stateless).</summary>
        public ExpressionResolver Expressions { get; }

        public LockOrderGraph Order => _order.Value;

        /// <summary>Compilation-wide ownership facts (factories, methods that keep <c>this</c> private, …).</summary>
        public Ownership.OwnershipIndex Ownership => _ownership.Value;

        /// <summary>Which <c>SemaphoreSlim</c> instances are locks.</summary>
        public SemaphoreLocks Semaphores { get; }

        public static CompilationModel Get(Compilation compilation) =>
            s_models.GetValue(compilation, c => new CompilationModel(c));
    }
}
