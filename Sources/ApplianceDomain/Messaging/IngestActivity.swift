import Synchronization

/// How many Shopify deliveries are being taken in right now, so confirmations give way to them
/// (issue 15, "webhooks first"): while any is in progress the dispatcher sends one at a time with
/// a gap, and the drain takes the CPU that ingest leaves. One per registry, shared by
/// ``WebhookIngest`` (which counts) and ``MessageDispatcher`` (which looks).
public final class IngestActivity: Sendable {
    let inProgress = Atomic<Int>(0)
    /// When the last delivery ended (ms since 1970, the registry's clock; `Int64.min`: none yet).
    let lastEnded = Atomic<Int64>(Int64.min)
    let clock: any WallClock
    /// How long after the last delivery ingest still counts as going on: between two deliveries
    /// of a busy shop nothing may be in progress for a moment, and the drain must not take that
    /// moment for the end of the load.
    static let lingerMillis: Int64 = 50

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Runs `body` counted as a delivery in progress.
    func during<T>(_ body: () async throws(DomainError) -> T) async throws(DomainError) -> T {
        begin()
        defer { end() }
        return try await body()
    }

    /// A delivery starts (each is followed by exactly one ``end()``).
    func begin() {
        inProgress.add(1, ordering: .relaxed)
    }

    /// A delivery begun with ``begin()`` is answered.
    func end() {
        lastEnded.store(clock.now(), ordering: .relaxed)
        inProgress.subtract(1, ordering: .relaxed)
    }

    /// Whether deliveries are being taken in: one is in progress, or one ended within
    /// ``lingerMillis`` of `now`.
    func isBusy(now: Int64) -> Bool {
        if inProgress.load(ordering: .relaxed) > 0 { return true }
        let last = lastEnded.load(ordering: .relaxed)
        return last != Int64.min && now &- last < Self.lingerMillis
    }
}
