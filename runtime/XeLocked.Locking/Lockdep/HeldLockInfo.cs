using XeLocked.Annotations;

namespace XeLocked.Locking;

/// <summary>
/// One lock a thread holds, as <see cref="Lockdep.ShowAllLocks"/> reports it (an entry of the
/// kernel's <c>lockdep_print_held_locks</c>).
/// </summary>
/// <param name="Class">The lock class (with <c>/subclass</c> if not 0), e.g. <c>"Vm.Lock"</c>.</param>
/// <param name="Mode"><see cref="LockMode.Write"/> for an exclusive hold (mutex, spinlock, rw-semaphore write), <see cref="LockMode.Read"/> for a shared one.</param>
/// <param name="Trylock">Acquired by a successful trylock.</param>
/// <param name="File">Source file of the acquisition (empty when unknown).</param>
/// <param name="Line">Line of <paramref name="File"/>.</param>
public sealed record HeldLockInfo(string Class, LockMode Mode, bool Trylock, string File, int Line)
{
    /// <summary>Lockdep's form: <c>(Class){read|write}, at: file:line</c>.</summary>
    /// <returns>The entry as one line, without the <c>#n:</c> prefix.</returns>
    public override string ToString() =>
        $"({Class}){{{(Mode == LockMode.Write ? "write" : "read")}}}, at: {(string.IsNullOrEmpty(File) ? "<unknown>" : $"{File}:{Line}")}{(Trylock ? " [trylock]" : "")}";
}
