import ApplianceStorage
import Synchronization

/// Order deliveries through the inbox: one suspension per delivery, one actor visit per batch.
extension Tenant {
    /// Merges an order (a repeated delivery id or a stale delivery changes nothing) and returns
    /// once the change is durable. Orders arriving together are merged in one visit to the
    /// actor (by the tenants' shared ``InboxDrainer``), in the order they arrived.
    public nonisolated func apply(order incoming: IncomingOrder, topic: ShopifyTopic, webhookID: String?) async throws(DomainError) {
        let result = await withUnsafeContinuation { (waiter: UnsafeContinuation<Result<Void, DomainError>, Never>) in
            let start = inbox.withLock { box -> Bool in
                box.items.append(OrderInbox.Item(incoming: incoming, topic: topic, webhookID: webhookID, waiter: waiter))
                if box.draining { return false }
                box.draining = true
                return true
            }
            if start { context.drainer.schedule(self) }
        }
        try result.get()
    }

    /// Merges every waiting delivery, then leaves each waiting for its own record's sync (the
    /// journal wakes it: no task per delivery waits on the actor or the journal).
    func drainInbox() {
        var items: [OrderInbox.Item] = []
        while true {
            let more = inbox.withLock { box -> Bool in
                if box.items.isEmpty {
                    box.draining = false
                    return false
                }
                swap(&items, &box.items)
                return true
            }
            guard more else { return }
            for item in items {
                let commit: Commit
                do {
                    commit = try stageOrder(item.incoming, topic: item.topic, webhookID: item.webhookID)
                } catch {
                    item.waiter.resume(returning: .failure(error))
                    continue
                }
                // As `Commit.durable()`: the live events go out, or are dropped, with the sync.
                let (feed, tenantID, seq, waiter) = (commit.feed, commit.tenantID, commit.seq, item.waiter)
                commit.journal.whenDurable(seq) { error in
                    if let error {
                        feed.discard(tenantID: tenantID, from: seq)
                        waiter.resume(returning: .failure(DomainError(
                            .storageUnavailable, "the change could not be stored durably; retry later", detail: "\(error)")))
                    } else {
                        feed.release(tenantID: tenantID, upTo: seq)
                        waiter.resume(returning: .success(()))
                    }
                }
            }
            items.removeAll(keepingCapacity: true)
        }
    }
}
