using XeLocked.Locking;

namespace XeLocked.Runtime.Tests.Lockdep;

/// <summary>
/// Linux's <c>lib/locking-selftest.c</c> scenarios, translated to lock scripts (see
/// <see cref="Support.LockScript"/>): the expected report kind (null: none) and the index of the
/// operation that must raise it.
/// </summary>
internal static class SelftestScenarios
{
    public sealed record Scenario(string Name, string Script, LockdepViolationKind? Expected, int FailAt);

    public static readonly Scenario[] All =
    {
        // --- AA: recursive locking (class-level: two instances of one class) -------------------
        new("AA_same_instance", "L(A) L(A)", LockdepViolationKind.RecursiveLocking, 1),
        new("AA_two_instances", "L(X1) L(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("AA_through_other", "L(X1) L(B) L(X2)", LockdepViolationKind.RecursiveLocking, 2),

        // --- ABBA and the longer cycles (E1/E2/E3 of the selftest, each a separate critical section)
        new("ABBA", "L(A) L(B) U(B) U(A) L(B) L(A)", LockdepViolationKind.CircularDependency, 5),
        new("ABBA_same_order_ok", "L(A) L(B) U(B) U(A) L(A) L(B) U(B) U(A)", null, -1),
        new("ABBCCA", "L(A) L(B) U(B) U(A) L(B) L(C) U(C) U(B) L(C) L(A)", LockdepViolationKind.CircularDependency, 9),
        new("ABCABC", "L(A) L(B) U(B) U(A) L(C) L(A) U(A) U(C) L(B) L(C)", LockdepViolationKind.CircularDependency, 9),
        new("ABBCCDDA", "L(A) L(B) U(B) U(A) L(B) L(C) U(C) U(B) L(C) L(D) U(D) U(C) L(D) L(A)", LockdepViolationKind.CircularDependency, 13),
        new("ABCDBDDA", "L(A) L(B) U(B) U(A) L(C) L(D) U(D) U(C) L(B) L(D) U(D) U(B) L(D) L(A)", LockdepViolationKind.CircularDependency, 13),
        new("ABCDBCDA", "L(A) L(B) U(B) U(A) L(C) L(D) U(D) U(C) L(B) L(C) U(C) U(B) L(D) L(A)", LockdepViolationKind.CircularDependency, 13),
        new("ABC_nested_then_CA", "L(A) L(B) L(C) U(C) U(B) U(A) L(C) L(A)", LockdepViolationKind.CircularDependency, 7),
        new("ABBA_instances", "L(X1) L(B) U(B) U(X1) L(B) L(X2)", LockdepViolationKind.CircularDependency, 5),

        // --- unlock errors ------------------------------------------------------------------------
        new("double_unlock", "L(A) U(A) U(A)", LockdepViolationKind.BadUnlockBalance, 2),
        new("unlock_never_locked", "U(A)", LockdepViolationKind.BadUnlockBalance, 0),
        new("unlock_other_instance", "L(X1) U(X2)", LockdepViolationKind.BadUnlockBalance, 1),
        new("unlock_out_of_order_ok", "L(A) L(B) U(A) U(B)", null, -1),
        new("unlock_out_of_order_U05", "L(X1) L(A) U(X1) L(X2)", LockdepViolationKind.CircularDependency, 3),
        new("init_held", "L(A) F(A)", LockdepViolationKind.HeldLockFreed, 1),
        new("free_unheld_ok", "L(A) U(A) F(A)", null, -1),
        new("held_at_exit", "L(A) L(B) U(B) H", LockdepViolationKind.HeldAtExit, 3),
        new("none_held_at_exit_ok", "L(A) L(B) U(B) U(A) H", null, -1),

        // --- trylock -----------------------------------------------------------------------------
        new("try_inner_records_nothing", "L(A) T(B) U(B) U(A) L(B) L(A)", null, -1),
        new("try_outer_is_a_prev", "T(A) L(B) U(B) U(A) L(B) L(A)", LockdepViolationKind.CircularDependency, 5),
        new("try_walk_continues_below", "L(A) T(B) L(C) U(C) U(B) U(A) L(C) L(A)", LockdepViolationKind.CircularDependency, 7),
        new("failed_try_records_nothing", "L(A) T!(A) U(A) L(B) L(A)", null, -1),
        new("block_try_same_class_ok", "L(X1) T(X2) U(X2) U(X1)", null, -1),
        new("try_block_same_class", "T(X1) L(X2)", LockdepViolationKind.RecursiveLocking, 1),

        // --- nested subclasses (mutex: LockNested) ------------------------------------------------
        new("nested_ok", "L(X1) N1(X2) U(X2) U(X1)", null, -1),
        new("nested_same_subclass", "N1(X1) N1(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("nested_ABBA", "L(X1) N1(X2) U(X2) U(X1) N1(X1) L(X2)", LockdepViolationKind.CircularDependency, 5),
        new("nested_chain_ok", "L(X1) N1(X2) N2(X3) U(X3) U(X2) U(X1)", null, -1),

        // --- rw-semaphore (non-recursive readers) -------------------------------------------------
        new("rsem_AA_same_instance", "R(A) R(A)", LockdepViolationKind.RecursiveLocking, 1),
        new("rsem_AA1", "R(X1) R(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("rsem_AA_wr", "W(X1) R(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("rsem_AA_rw", "R(X1) W(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("ABBA_rsem", "R(A) R(B) UR(B) UR(A) R(B) R(A)", LockdepViolationKind.CircularDependency, 5),
        new("rwsem_ABBA1", "R(X) L(Y) U(Y) UR(X) L(Y) W(X)", LockdepViolationKind.CircularDependency, 5),
        new("rwsem_ABBA2", "R(X) L(Y) U(Y) UR(X) L(Y) R(X)", LockdepViolationKind.CircularDependency, 5),
        new("rwsem_ABBA3", "W(X) L(Y) U(Y) UW(X) L(Y) R(X)", LockdepViolationKind.CircularDependency, 5),
        new("rsem_W1R2_W2R3_W3R1", "W(A) R(B) UR(B) UW(A) W(B) R(C) UR(C) UW(B) W(C) R(A)", LockdepViolationKind.CircularDependency, 9),
        new("rsem_chaincache_read_then_write", "L(B) R(A) UR(A) U(B) L(B) W(A)", null, -1),
        new("downgrade_ok", "W(A) D(A) AR(A) UR(A)", null, -1),
        new("downgrade_then_write_unlock", "W(A) D(A) UW(A)", LockdepViolationKind.BadUnlockBalance, 2),
        new("read_unlock_of_write_hold", "W(A) UR(A)", LockdepViolationKind.BadUnlockBalance, 1),
        new("write_unlock_of_read_hold", "R(A) UW(A)", LockdepViolationKind.BadUnlockBalance, 1),
        new("rsem_double_read_unlock", "R(A) UR(A) UR(A)", LockdepViolationKind.BadUnlockBalance, 2),
        new("rsem_try_read_is_a_prev", "TR(X) L(Y) U(Y) UR(X) L(Y) R(X)", LockdepViolationKind.CircularDependency, 5),

        // --- recursive readers (lockdep read == 2): strong paths -----------------------------------
        new("rlock_AA1", "RR(X1) RR(X2)", null, -1),
        new("rlock_AA2", "RR(X1) W(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("rlock_AA3", "W(X1) RR(X2)", LockdepViolationKind.RecursiveLocking, 1),
        new("ABBA_rlock", "RR(A) RR(B) U(B) U(A) RR(B) RR(A)", null, -1),
        new("rlock_ABBA1", "RR(X) L(Y) U(Y) U(X) L(Y) W(X)", LockdepViolationKind.CircularDependency, 5),
        new("rlock_ABBA2", "RR(X) L(Y) U(Y) U(X) L(Y) RR(X)", null, -1),
        new("rlock_ABBA3", "W(X) L(Y) U(Y) U(X) L(Y) RR(X)", LockdepViolationKind.CircularDependency, 5),
        new("rlock_chaincache_ABBA1", "RR(X) L(Y) U(Y) U(X) L(Y) RR(X) U(X) U(Y) L(Y) W(X)", LockdepViolationKind.CircularDependency, 9),
        new("rlock_doc_RW_RW", "RR(X) W(Y) U(Y) U(X) RR(Y) W(X)", LockdepViolationKind.CircularDependency, 5),
        new("rlock_W1R2_W2R3_W3R1", "W(A) RR(B) U(B) U(A) W(B) RR(C) U(C) U(B) W(C) RR(A)", LockdepViolationKind.CircularDependency, 9),
        new("rlock_W1W2_R2R3_W3R1", "W(A) W(B) U(B) U(A) RR(B) RR(C) U(C) U(B) W(C) RR(A)", LockdepViolationKind.CircularDependency, 9),
        new("rlock_W1R2_R2W3_W3W1_not_deadlock", "W(A) RR(B) U(B) U(A) RR(B) W(C) U(C) U(B) W(C) W(A)", null, -1),
        new("rlock_W1W2_R2R3_R3W1_not_deadlock", "W(A) W(B) U(B) U(A) RR(B) RR(C) U(C) U(B) RR(C) W(A)", null, -1),

        // --- assertions ----------------------------------------------------------------------------
        new("assert_held_ok", "L(A) AH(A) AW(A) U(A) AN(A)", null, -1),
        new("assert_held_fails", "AH(A)", LockdepViolationKind.AssertionFailed, 0),
        new("assert_not_held_fails", "L(A) AN(A)", LockdepViolationKind.AssertionFailed, 1),
        new("assert_held_write_on_read", "R(A) AH(A) AR(A) AW(A)", LockdepViolationKind.AssertionFailed, 3),
        new("assert_held_read_on_write", "W(A) AW(A) AR(A)", LockdepViolationKind.AssertionFailed, 2),
    };

    /// <summary>True when the scenario's plain locks can be of primitive <paramref name="kind"/>.</summary>
    public static bool AppliesTo(Scenario s, string kind)
    {
        var ops = s.Script.Split(' ');
        if (ops.Any(o => o.Length > 1 && o[0] == 'N' && char.IsDigit(o[1])))
        {
            return kind == "mutex"; // LockNested exists on the mutex only.
        }

        // Scripts with no plain lock (every lock read or written explicitly) run once.
        var locks = ops.Select(o => o.Contains('(') ? o[(o.IndexOf('(') + 1)..^1] : null).Where(l => l is not null).Distinct();
        var plain = locks.Any(l => ops.Where(o => o.EndsWith($"({l})", StringComparison.Ordinal))
            .All(o => !(o.StartsWith("R", StringComparison.Ordinal) || o.StartsWith("W", StringComparison.Ordinal) || o.StartsWith("TR", StringComparison.Ordinal)
                || o.StartsWith("UR", StringComparison.Ordinal) || o.StartsWith("UW", StringComparison.Ordinal) || o.StartsWith("D(", StringComparison.Ordinal) || o.StartsWith("AR", StringComparison.Ordinal))));
        return plain || kind == "rwsem";
    }
}
