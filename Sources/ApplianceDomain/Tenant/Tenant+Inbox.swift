import ApplianceStorage
import Synchronization

/// Order deliveries through the inbox: one suspension per delivery, one actor visit per batch.
extension Tenant {
    /// Merges an order (a repeated delivery id or a stale delivery changes nothing) and returns
    /// once the change is durable. Orders arriving together are merged in one visit to the
    /// actor (by the tenants' shared ``InboxDrainer``), in the order they arrived.
    public nonisolated func apply(order incoming: IncomingOrder, topic: ShopifyTopic, webhookID: String?) async throws(DomainError) {
        let result = await withUnsafeContinuation { (waiter: UnsafeContinuation<Result<Void, DomainError>, Never>) in
            submit(order: incoming, topic: topic, webhookID: webhookID) { waiter.resume(returning: $0) }
        }
        try result.get()
    }

    /// ``apply(order:topic:webhookID:)`` without a task waiting: `done` is called exactly once,
    /// when the change is durable or has failed, on the journal's flusher thread or the draining
    /// task, so it must be short (hand the answer to where it is needed and return).
    public nonisolated func submit(order incoming: IncomingOrder, topic: ShopifyTopic, webhookID: String?,
                                   done: @escaping @Sendable (Result<Void, DomainError>) -> Void) {
        let start = inbox.withLock { $0.add(PendingOrder(incoming: incoming, topic: topic, webhookID: webhookID, done: done)) }
        if start { context.drainer.schedule(self) }
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
                    item.done(.failure(error))
                    continue
                }
                commit.whenDurable(item.done)
            }
            items.removeAll(keepingCapacity: true)
        }
    }
}
