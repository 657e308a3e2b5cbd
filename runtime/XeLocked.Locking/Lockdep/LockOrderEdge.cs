namespace XeLocked.Locking;

/// <summary>
/// One declared order edge loaded by <see cref="Lockdep.LoadDeclaredOrder(System.Reflection.Assembly)"/>:
/// <see cref="Outer"/> is acquired before (outside) <see cref="Inner"/>.
/// </summary>
/// <param name="Outer">The class taken first, <c>"Type.Member"</c>.</param>
/// <param name="Inner">The class taken second, <c>"Type.Member"</c>.</param>
/// <param name="DeclaredBy">The member whose <c>[LockOrder]</c> declared it, <c>"Namespace.Type.Member"</c>.</param>
public sealed record LockOrderEdge(string Outer, string Inner, string DeclaredBy);
