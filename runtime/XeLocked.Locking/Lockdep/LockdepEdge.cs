namespace XeLocked.Locking;

/// <summary>
/// One observed dependency (<see cref="Lockdep.ObservedEdges"/>): <see cref="To"/> was acquired
/// while <see cref="From"/> was held, first at <see cref="File"/>:<see cref="Line"/>.
/// </summary>
/// <param name="From">The class that was held (with <c>/subclass</c> if not 0).</param>
/// <param name="To">The class that was acquired.</param>
/// <param name="Types">Lockdep's dependency types seen, e.g. <c>"EN"</c> or <c>"EN|SN"</c> (E/S: the holder was exclusive/shared; N/R: the acquisition was non-recursive/recursive-read).</param>
/// <param name="FromFile">Where <see cref="From"/> had been acquired when the edge was first seen.</param>
/// <param name="FromLine">Line of <see cref="FromFile"/>.</param>
/// <param name="File">Where <see cref="To"/> was acquired when the edge was first seen.</param>
/// <param name="Line">Line of <see cref="File"/>.</param>
public sealed record LockdepEdge(string From, string To, string Types, string FromFile, int FromLine, string File, int Line);
