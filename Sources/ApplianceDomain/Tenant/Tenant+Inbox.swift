import ApplianceStorage
import Synchronization

/// Order deliveries through the inbox: one suspension per delivery, one actor visit per batch.
extension Tenant {
    /// Merges an order (a repeated delivery id or a stale delivery changes nothing) and returns
    /// once the change is durable. Orders arriving together are merged in one visit to the
    /// actor (by the tenants' shared ``InboxDrainer``), in the order they arrived.
    public nonisolated func apply(order incoming: IncomingOrder, topic: ShopifyTopic, webhookID: String?) async throws(DomainError) {
        let result = await withUnsafeContinuation { (waiter: UnsafeContinuation<Result<Void, DomainError>, Never>) in
            let start = inbox.withLock { $0.add(PendingOrder(incoming: incoming, topic: topic, webhookID: webhookID, waiter: waiter)) }
            if start { context.drainer.schedule(self) }
        }
        try result.get()
    }

    /// Merges every waiting delivery, then leaves each waiting for its own record's sync (the
    /// journal wakes it: no task per delivery waits on the actor or the journal).
    func drainInbox() {
        var items: [PendingOrder] = []
        while true {
            let more = inbox.withLock { $0.take(into: &items) }
            guard more else { return }
            for item in items {
                let commit: Commit
                do {
                    commit = try stageOrder(item.incoming, topic: item.topic, webhookID: item.webhookID)
                } catch {
                    item.waiter.resume(returning: .failure(error))
                    continue
                }
                commit.whenDurable { [waiter = item.waiter] result in waiter.resume(returning: result) }
            }
            items.removeAll(keepingCapacity: true)
        }
    }
}
