import Synchronization

/// A ``WriteBackSink`` whose target is set once the outbox exists (the outbox needs the
/// registry, and the registry's tenants need the sink). Until then nothing is forwarded: the
/// outbox's start-up scan (``ShopifyOutbox/recover()``) finds every job in the journals.
public final class DeferredWriteBackSink: WriteBackSink {
    let target = Mutex<(any WriteBackSink)?>(nil)

    public init() {}

    public func attach(_ sink: any WriteBackSink) { target.withLock { $0 = sink } }

    public func writeBacksQueued(tenantID: Int, orderID: UInt64) {
        target.withLock { $0 }?.writeBacksQueued(tenantID: tenantID, orderID: orderID)
    }

    public func writeBacksReleased(tenantID: Int) {
        target.withLock { $0 }?.writeBacksReleased(tenantID: tenantID)
    }
}
