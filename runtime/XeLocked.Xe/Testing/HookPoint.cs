namespace XeLocked.Xe;

/// <summary>
/// Named points in the model where a test (or the simulator) can gate a thread or inject an error
/// through <see cref="XeHooks"/>. Each point says which locks the firing thread holds there.
/// </summary>
public enum HookPoint
{
    /// <summary>A worker popped a fault and is about to service it. Holds no lock.</summary>
    BeforeService,

    /// <summary>Fault service: <c>Vm.Lock</c> taken (read under fine locking, write under coarse).</summary>
    AfterVmLock,

    /// <summary>SVM fault: the range was found (reference taken), <c>SvmRange.Lock</c> not yet taken. Holds <c>Vm.Lock</c>.</summary>
    AfterRangeLookup,

    /// <summary>SVM fault: <c>SvmRange.Lock</c> taken. Holds <c>Vm.Lock</c> and the range lock.</summary>
    AfterRangeLock,

    /// <summary>SVM migration to VRAM, inside the copy (holds the range lock and <c>DriverMigrateLock</c>). Return non-zero to fail the migration with that error.</summary>
    AllocVram,

    /// <summary>SVM fault: pages collected, before the bind. Holds the range lock.</summary>
    AfterGetPages,

    /// <summary>VMA fault: <c>Vma.FaultLock</c> taken.</summary>
    AfterVmaFaultLock,

    /// <summary>VMA fault: before the rebind, inside drm_exec (holds the fault lock and the VM resv).</summary>
    BeforeVmaRebind,

    /// <summary>Bind pre-commit under <c>Svm.NotifierLock</c> (read). Return non-zero to fail the bind with that error.</summary>
    BindPreCommit,

    /// <summary>Worker: service done, before the ack walk. Holds no lock.</summary>
    BeforeAckWalk,

    /// <summary>Worker: the ack walk of a leader is done (cache invalidated), before the budget check. Holds no lock.</summary>
    AfterAckWalk,

    /// <summary>SVM or VMA fault: the bind job was submitted, before <c>dma_fence_wait</c> (holds the range or fault lock, not the resv).</summary>
    BeforeFenceWait,

    /// <summary>SVM get_pages, before collecting (holds the range lock). Return non-zero to fail the collection with that error.</summary>
    GetPages,

    /// <summary>GC: a range was taken off the list, before <c>SvmRange.Lock</c>. Holds <c>Vm.Lock</c> and <c>GarbageCollector.Lock</c>.</summary>
    GcBeforeRangeLock,

    /// <summary>GC: range marked removed, before unbind. Return non-zero to fail the unbind (hazard H12).</summary>
    GcUnbind,

    /// <summary>
    /// GC default-attr reset (<c>xe_vm_alloc_cpu_addr_mirror_vma</c>): the old VMA is out of the tree,
    /// the new one not yet in (holds <c>Vm.Lock</c> read + <c>GarbageCollector.Lock</c>, or write with the H7 fix).
    /// </summary>
    GcDefaultAttrReset,

    /// <summary>VM close: the GC work was flushed and the VMAs destroyed; <c>xe_svm_fini</c> is next. Holds no lock.</summary>
    BeforeSvmFini,

    /// <summary>Bind IOCTL: <c>Vm.Lock</c> held in write mode, ops not yet applied.</summary>
    BindUnderWriteLock,

    /// <summary>Prefetch: one range's migration, inline or in its work item, before taking the range lock.</summary>
    PrefetchRange,

    /// <summary>Prefetch: all work items queued, before the flush. Holds <c>Vm.Lock</c> (read).</summary>
    PrefetchBeforeFlush,

    /// <summary>Userptr: pages pinned (holds <c>Vm.Lock</c> read + <c>Vma.FaultLock</c>, or write).</summary>
    UserptrPinned,

    /// <summary>Producer: a fault was queued (holds <c>PageFaultQueue.Lock</c>: must not block).</summary>
    FaultQueued,
}
