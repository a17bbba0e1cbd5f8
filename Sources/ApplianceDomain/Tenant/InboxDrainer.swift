import ApplianceStorage
import Synchronization

/// Merges the waiting order deliveries of every tenant with one task: it visits each tenant
/// whose inbox filled, in turn, until none is waiting. With many tenants a delivery rarely
/// finds another of its own tenant to share a batch with; a task per batch then cost a task
/// creation and a thread hand-off per delivery, where one task going from actor to actor finds
/// each idle and switches to it on its own thread.
public final class InboxDrainer: Sendable {
    /// Tenants whose inbox has deliveries waiting.
    let state = Mutex(RunQueue<Tenant>())

    public init() {}

    /// Queues `tenant`, whose inbox has deliveries and no drain scheduled.
    func schedule(_ tenant: Tenant) {
        let start = state.withLock { $0.add(tenant) }
        if start { Task { await self.run() } }
    }

    func run() async {
        var tenants: [Tenant] = []
        while true {
            let more = state.withLock { $0.take(into: &tenants) }
            guard more else { return }
            for tenant in tenants { await tenant.drainInbox() }
            tenants.removeAll(keepingCapacity: true)
        }
    }
}
