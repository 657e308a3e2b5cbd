using Microsoft.VisualStudio.TestTools.UnitTesting;
using Verify = XeLocked.Analyzers.Tests.WholeProgram.WholeProgramVerifier;

namespace XeLocked.Analyzers.Tests.WholeProgram;

/// <summary>
/// Lock-order inversions seeded through calls into small, realistic programs, none of them
/// annotated with an order: each is reported once, at the call that closes the cycle, with the
/// chain of calls down to the acquisition — two calls deep, through an interface, through the
/// <c>Dispose</c> of a <c>using</c>, and through a constructor's field initializer.
/// </summary>
[TestClass]
public sealed class XL0011SeededBugTests
{
    [TestMethod]
    public Task InversionTwoCallsDeep() => Verify.VerifyAsync("""
        sealed class Account { public readonly Mutex Lock = new(); public int Balance; }
        sealed class Ledger
        {
            public readonly Mutex Lock = new();
            public void Append(int amount) { using (Lock.Guard()) { } }
        }
        sealed class Bank
        {
            private readonly Ledger _ledger = new();
            public void Post(Account a, int amount) { using (a.Lock.Guard()) { a.Balance += amount; {|#0:Record(amount)|}; } }
            private void Record(int amount) => Journal(amount);
            private void Journal(int amount) => _ledger.Append(amount);
            public void Audit(Account a) { using (_ledger.Lock.Guard()) { using ({|#1:a.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "Account.Lock → Ledger.Lock → Account.Lock: Ledger.Lock acquired while Account.Lock held at Test0.cs:11 " +
            "(through Record() → Journal() → Append(), which acquires it at Test0.cs:6); Account.Lock acquired while Ledger.Lock held at Test0.cs:14"));

    [TestMethod]
    public Task InversionThroughAnInterface() => Verify.VerifyAsync("""
        interface ISink { void Write(string line); }
        sealed class FileSink : ISink
        {
            public readonly Mutex Lock = new();
            public void Write(string line) { using (Lock.Guard()) { } }
        }
        sealed class Logger
        {
            public readonly Mutex Lock = new();
            private readonly ISink _sink;
            public Logger(ISink sink) { _sink = sink; }
            public void Log(string line) { using (Lock.Guard()) { {|#0:_sink.Write(line)|}; } }
        }
        sealed class Rotator
        {
            public void Rotate(FileSink file, Logger log) { using (file.Lock.Guard()) { using ({|#1:log.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "FileSink.Lock → Logger.Lock → FileSink.Lock: Logger.Lock acquired while FileSink.Lock held at Test0.cs:17; " +
            "FileSink.Lock acquired while Logger.Lock held at Test0.cs:13 (through ISink.Write() → FileSink.Write(), which acquires it at Test0.cs:6)"));

    [TestMethod]
    public Task InversionThroughAUsingsDispose() => Verify.VerifyAsync("""
        sealed class Pool
        {
            public readonly Mutex Lock = new();
            public Lease Rent() => new Lease(this);
        }
        sealed class Lease : IDisposable
        {
            private readonly Pool _pool;
            public Lease(Pool pool) { _pool = pool; }
            public void Dispose() { using (_pool.Lock.Guard()) { } }
        }
        sealed class Worker
        {
            public readonly Mutex Lock = new();
            public void Run(Pool pool) { using (Lock.Guard()) { using (var {|#0:lease = pool.Rent()|}) { } } }
            public void Drain(Pool pool) { using (pool.Lock.Guard()) { using ({|#1:Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "Pool.Lock → Worker.Lock → Pool.Lock: Worker.Lock acquired while Pool.Lock held at Test0.cs:17; " +
            "Pool.Lock acquired while Worker.Lock held at Test0.cs:16 (through Dispose(), which acquires it at Test0.cs:11)"));

    [TestMethod]
    public Task InversionThroughAConstructorsFieldInitializer() => Verify.VerifyAsync("""
        static class Metrics
        {
            public static readonly Mutex Lock = new();
            public static int Register(string name) { using (Lock.Guard()) { return 1; } }
        }
        sealed class Connection { private readonly int _counter = Metrics.Register("connections"); }
        sealed class ConnectionPool
        {
            public readonly Mutex Lock = new();
            public Connection Open() { using (Lock.Guard()) { return {|#0:new Connection()|}; } }
            public void Report(ConnectionPool pool) { using (Metrics.Lock.Guard()) { using ({|#1:pool.Lock.Guard()|}) { } } }
        }
        """,
        Verify.Diagnostic("XL0011").WithLocation(0).WithLocation(1).WithArguments(
            "ConnectionPool.Lock → Metrics.Lock → ConnectionPool.Lock: Metrics.Lock acquired while ConnectionPool.Lock held at Test0.cs:11 " +
            "(through new Connection() → _counter initializer → Register(), which acquires it at Test0.cs:5); " +
            "ConnectionPool.Lock acquired while Metrics.Lock held at Test0.cs:12"));
}
