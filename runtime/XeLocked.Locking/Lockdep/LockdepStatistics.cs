namespace XeLocked.Locking;

/// <summary>Sizes of the tracker's state (<see cref="Lockdep.Statistics"/>; lockdep's <c>/proc/lockdep_stats</c>).</summary>
/// <param name="Classes">Lock classes registered (name and subclass).</param>
/// <param name="Edges">Dependency edges between classes.</param>
/// <param name="Chains">Validated chains in the chain cache.</param>
/// <param name="DeclaredEdges">Direct edges of the declared order.</param>
/// <param name="Reports">Reports in <see cref="Lockdep.Reports"/>.</param>
public sealed record LockdepStatistics(int Classes, int Edges, int Chains, int DeclaredEdges, int Reports);
