using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace XeLocked.Analyzers.Tests.Verifiers;

/// <summary>
/// Verifier for the dataflow rules: like <see cref="AnalyzerVerifier{TAnalyzer}"/>, plus a second
/// source file with annotated lock primitives shaped like XeLocked's own (so line numbers of the
/// test source are not shifted by them). Use <c>{|#0:...|}</c> and <c>WithLocation(0)</c> to check
/// messages at exact spans.
/// </summary>
public static class FlowVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public const string Primitives = """
        using System;
        using XeLocked.Annotations;

        [LockPrimitive(LockKind.Exclusive)]
        public sealed class Mutex
        {
            [Acquires("this")] public void Lock() { }
            [Acquires("this")] public void LockNested(int subclass) { }
            [TryAcquires(true, "this")] public bool TryLock() => true;
            [Releases("this")] public void Unlock() { }
            [Acquires("this")] public MutexGuard Guard() => new MutexGuard(this);
        }

        [ScopedLock]
        public readonly struct MutexGuard : IDisposable
        {
            private readonly Mutex _m;
            public MutexGuard(Mutex m) => _m = m;
            public void Dispose() => _m.Unlock();
        }

        [LockPrimitive(LockKind.ReaderWriter)]
        public sealed class RwSem
        {
            [Acquires("this:read")] public void LockRead() { }
            [Acquires("this:write")] public void LockWrite() { }
            [TryAcquires(true, "this:read")] public bool TryLockRead() => true;
            [TryAcquires(true, "this:write")] public bool TryLockWrite() => true;
            [Releases("this:read")] public void UnlockRead() { }
            [Releases("this:write")] public void UnlockWrite() { }
            [Releases("this:write")][Acquires("this:read")] public void DowngradeWrite() { }
            [Acquires("this:read")] public ReadGuard ReadGuard() => new ReadGuard(this);
            [Acquires("this:write")] public WriteGuard WriteGuard() => new WriteGuard(this);
        }

        [ScopedLock]
        public readonly struct ReadGuard : IDisposable
        {
            private readonly RwSem _s;
            public ReadGuard(RwSem s) => _s = s;
            public void Dispose() => _s.UnlockRead();
        }

        [ScopedLock]
        public readonly struct WriteGuard : IDisposable
        {
            private readonly RwSem _s;
            public WriteGuard(RwSem s) => _s = s;
            public void Dispose() => _s.UnlockWrite();
        }

        public static class Lockdep
        {
            [AssertsHeld("x")] public static void AssertHeld(Mutex x) { }
            [AssertsHeld("x:read")] public static void AssertHeldRead(RwSem x) { }
            [AssertsHeld("x:write")] public static void AssertHeldWrite(RwSem x) { }
        }
        """;

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => RunAsync(source, CompilerDiagnostics.Errors, expected);

    /// <summary>Source that does not compile: compiler errors are ignored, XL diagnostics compared.</summary>
    public static Task VerifyBrokenCodeAsync(string source, params DiagnosticResult[] expected) => RunAsync(source, CompilerDiagnostics.None, expected);

    public static DiagnosticResult Diagnostic(string id) =>
        new(new TAnalyzer().SupportedDiagnostics.Single(d => d.Id == id));

    private static Task RunAsync(string source, CompilerDiagnostics compilerDiagnostics, DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            CompilerDiagnostics = compilerDiagnostics,
        };

        // Like a real project (<Nullable>enable</Nullable>): nullable analysis changes Roslyn's graph of `lock` on a Lock.
        test.SolutionTransforms.Add((solution, projectId) =>
        {
            var options = (Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions)solution.GetProject(projectId)!.CompilationOptions!;
            return solution.WithProjectCompilationOptions(projectId, options.WithNullableContextOptions(Microsoft.CodeAnalysis.NullableContextOptions.Enable));
        });
        test.TestState.Sources.Add(("Test0.cs", AnalyzerVerifier<TAnalyzer>.Usings + source));
        test.TestState.Sources.Add(("Primitives.cs", Primitives));
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
