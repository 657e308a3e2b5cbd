namespace XeLocked.Locking;

/// <summary>
/// One hop of a cycle that closes through the declared order (beyond lockdep): either an observed
/// dependency (<see cref="Observed"/>) or a declared one (<see cref="Declared"/>), never both.
/// </summary>
/// <param name="From">The class (or, for a declared edge from a class never observed, the declared name) taken first.</param>
/// <param name="To">The class (or declared name) taken second.</param>
/// <param name="Observed">The observed edge, with where it was first seen; null for a declared hop.</param>
/// <param name="Declared">The declared edge, with the member that declared it; null for an observed hop.</param>
internal readonly record struct DependencyHop(string From, string To, DependencyEdge? Observed, LockOrderEdge? Declared);
