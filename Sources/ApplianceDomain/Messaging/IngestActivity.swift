import Synchronization

/// How many Shopify deliveries are being taken in right now, so confirmations give way to them
/// (issue 15, "webhooks first"): while any is in progress the dispatcher keeps only a few sends
/// in flight, and the drain takes the CPU that ingest leaves. One per registry, shared by
/// ``WebhookIngest`` (which counts) and ``MessageDispatcher`` (which looks).
public final class IngestActivity: Sendable {
    let inProgress = Atomic<Int>(0)
    /// Deliveries taken in since start (the dispatcher notices ingest that comes and goes between
    /// two of its looks).
    let started = Atomic<Int>(0)

    public init() {}

    /// Runs `body` counted as a delivery in progress.
    func during<T>(_ body: () async throws(DomainError) -> T) async throws(DomainError) -> T {
        inProgress.add(1, ordering: .relaxed)
        started.add(1, ordering: .relaxed)
        defer { inProgress.subtract(1, ordering: .relaxed) }
        return try await body()
    }

    /// Whether deliveries are coming in: one is in progress, or one started since `mark`
    /// (updated to now).
    func isBusy(since mark: inout Int) -> Bool {
        let now = started.load(ordering: .relaxed)
        defer { mark = now }
        return inProgress.load(ordering: .relaxed) > 0 || now != mark
    }
}
