using XeLocked.Annotations;
using XeLocked.Locking;

namespace XeLocked.Xe;

/// <summary>
/// The device-wide validation context (<c>xe->val</c>): wraps drm_exec; on -ENOMEM it retries once
/// in exhaustive-eviction mode with its lock held exclusively (<c>xe_validation_retry_on_oom</c>).
/// </summary>
public sealed class Validation
{
    /// <summary>The validation lock: read for a normal validation, write for the exhaustive retry. Inside the fault/range locks, outside dma-resv.</summary>
    [LockOrder(After = new[] { "Vma.FaultLock", "SvmRange.Lock" }, Before = new[] { "DmaResv.Lock" })]
    public readonly TrackedRwSemaphore Lock = new("Validation.Lock");
}
