import Synchronization

/// Merges the waiting order deliveries of every tenant with one task: it visits each tenant
/// whose inbox filled, in turn, until none is waiting. With many tenants a delivery rarely
/// finds another of its own tenant to share a batch with; a task per batch then cost a task
/// creation and a thread hand-off per delivery, where one task going from actor to actor finds
/// each idle and switches to it on its own thread.
public final class InboxDrainer: Sendable {
    struct State {
        var ready: [Tenant] = []
        var running = false
    }

    let state = Mutex(State())

    public init() {}

    /// Queues `tenant`, whose inbox has deliveries and no drain scheduled.
    func schedule(_ tenant: Tenant) {
        let start = state.withLock { s -> Bool in
            s.ready.append(tenant)
            if s.running { return false }
            s.running = true
            return true
        }
        if start { Task { await self.run() } }
    }

    func run() async {
        var tenants: [Tenant] = []
        while true {
            let more = state.withLock { s -> Bool in
                if s.ready.isEmpty {
                    s.running = false
                    return false
                }
                swap(&tenants, &s.ready)
                return true
            }
            guard more else { return }
            for tenant in tenants { await tenant.drainInbox() }
            tenants.removeAll(keepingCapacity: true)
        }
    }
}
