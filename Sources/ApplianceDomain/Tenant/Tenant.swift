import ApplianceStorage
import Foundation
import Logging
import Synchronization

/// One merchant: its in-memory state and the journal that makes it durable. The actor is the
/// tenant's single writer: it decides each change against the current state, journals it
/// (queued for group commit) and applies it, then hands back the sequence number the caller
/// awaits before acknowledging.
public actor Tenant {
    public nonisolated let id: Int
    public nonisolated let directory: String
    var state: TenantState
    var journal: Journal
    let context: TenantContext
    let encoder: JSONEncoder
    /// Why the tenant's jobs are held (a provider error), until the settings change. Journaled
    /// with the settings (``Settings/providerHold``), so a restart keeps it.
    var held: String? { state.settings.providerHold }
    /// The WhatsApp status last sent to the dashboards (a frame goes out only on a change).
    var publishedStatus: WhatsAppStatus?
    /// The compaction running in the background, if any (``close()`` lets it finish).
    var compaction: Task<Void, any Error>?
    /// The Shopify signing secret as the state holds it, readable without a visit to the actor,
    /// so a webhook is authenticated before its one visit. Set wherever the state's settings
    /// change (``write(_:)``, ``ensureWritable()``).
    nonisolated let signingSecret: Mutex<String?>
    /// Orders delivered and waiting for the actor (``apply(order:topic:webhookID:)``).
    nonisolated let inbox = Mutex(RunQueue<PendingOrder>())

    init(id: Int, directory: String, state: TenantState, journal: Journal, context: TenantContext) {
        self.id = id
        self.directory = directory
        self.state = state
        self.journal = journal
        self.context = context
        self.encoder = JSONEncoder()
        self.signingSecret = Mutex(state.settings.shopifyWebhookSecret)
    }

    /// A pending acknowledgement, internal to the domain: every public write operation awaits
    /// its own before it returns, so no caller (an HTTP controller, a CLI command) can answer
    /// before the change is on disk.
    struct Commit: Sendable {
        let journal: Journal
        let feed: LiveFeed
        let tenantID: Int
        let seq: UInt64

        /// Waits until the change (and everything before it) is on disk, then releases its live events.
        func durable() async throws(DomainError) {
            var failure: (any Error)?
            do {
                try await journal.waitDurable(seq)
            } catch {
                failure = error
            }
            try settle(failure).get()
        }

        /// ``durable()`` without a task waiting: `done` runs once the change is on disk (or
        /// cannot be), on the journal's flusher thread, so it must be short.
        func whenDurable(_ done: @escaping @Sendable (Result<Void, DomainError>) -> Void) {
            journal.whenDurable(seq) { error in done(settle(error)) }
        }

        /// Releases the change's live events once it is on disk, or drops them when it cannot be.
        func settle(_ failure: (any Error)?) -> Result<Void, DomainError> {
            guard let failure else {
                feed.release(tenantID: tenantID, upTo: seq)
                return .success(())
            }
            feed.discard(tenantID: tenantID, from: seq)
            return .failure(DomainError(.storageUnavailable, "the change could not be stored durably; retry later", detail: "\(failure)"))
        }
    }

    func commit(_ seq: UInt64) -> Commit {
        Commit(journal: journal, feed: context.feed, tenantID: id, seq: seq)
    }

    /// A commit for a decision that wrote nothing: it still waits for what it was based on.
    func noChange() -> Commit { commit(journal.lastSeq) }

    /// Journals `record` and applies it to the state (`webhookDigest`: its delivery id's digest,
    /// when the caller computed it already to look for a repeat).
    func write(_ record: TenantRecord, webhookDigest: WebhookLog.Digest? = nil) throws(DomainError) -> UInt64 {
        try ensureWritable()
        let bytes: [UInt8]
        do {
            bytes = try record.encoded(with: encoder)
        } catch {
            throw DomainError(.invalid, "record could not be encoded")
        }
        let seq: UInt64
        do {
            seq = try journal.enqueue(bytes)
        } catch {
            throw DomainError(.storageUnavailable, "the change could not be stored; retry later", detail: "\(error)")
        }
        state.apply(record, webhookDigest: webhookDigest)
        if record.t == .settings { signingSecret.withLock { $0 = state.settings.shopifyWebhookSecret } }
        if record.t == .order, let order = record.order, let jobs = context.jobs {
            let key = JobKey(tenantID: id, orderID: order.id)
            if order.message.state == .scheduled {
                if !isParked(order) { jobs.arm(key, at: order.message.scheduledAt ?? 0) }
            } else {
                jobs.disarm(key)
            }
        }
        if record.t == .order, let order = record.order, let sync = order.shopifySync, !sync.jobs.isEmpty {
            context.writeBacks?.writeBacksQueued(tenantID: id, orderID: order.id)
        }
        compactIfNeeded()
        return seq
    }

    /// Whether a scheduled order waits for its tenant's hold to be released rather than for a
    /// timer: it is due and already says it is held. Its job is not armed (one that fired only
    /// journals the same reason again); ``setHold(_:)`` re-arms every scheduled order on release,
    /// and a start arms them all.
    func isParked(_ order: Order) -> Bool {
        guard let held, order.message.lastError == held else { return false }
        return (order.message.scheduledAt ?? 0) <= context.clock.now()
    }

    /// After a failed write (a full disk), reload the state from disk: it holds exactly what
    /// was acknowledged.
    func ensureWritable() throws(DomainError) {
        guard let failure = journal.failure else { return }
        guard failure.code != .syncFailed else {
            throw DomainError(.storageUnavailable, "storage failed; the server must restart")
        }
        do {
            journal.abandon()
            let (fresh, newJournal) = try TenantLoader.recoverJournal(directory: directory, context: context, tenantID: id)
            state = fresh
            journal = newJournal
            signingSecret.withLock { $0 = fresh.settings.shopifyWebhookSecret }
            context.logger.notice("tenant reloaded from disk after a failed write", metadata: ["tenant": "\(id)"])
        } catch {
            throw DomainError(.storageUnavailable, "storage is unavailable; retry later", detail: "\(error)")
        }
    }

    func compactIfNeeded() {
        let stats = journal.stats
        // Keep the journal tail short relative to the state, so boot replays little: compact once
        // the records since the snapshot reach half the order count (at least 1,000), or the
        // absolute limits.
        let relative = stats.recordsSinceSnapshot >= max(1_000, state.orders.count / 2)
        guard !stats.compacting,
              relative || stats.recordsSinceSnapshot >= context.compactAfterRecords || stats.bytesSinceSnapshot >= context.compactAfterBytes
        else { return }
        _ = startCompaction()
    }

    /// Seals the journal and snapshots the current state in the background.
    /// Returns the task, or nil when there is nothing to do or a compaction is running.
    @discardableResult
    public func startCompaction() -> Task<Void, any Error>? {
        guard let seq = journal.beginCompaction() else { return nil }
        let copy = state
        let journal = self.journal
        let logger = context.logger
        let id = self.id
        let task = Task.detached(priority: .background) {
            let payload = TenantSnapshotCodec.encode(copy)
            do {
                try await journal.finishCompaction(seq: seq, payload: payload)
                logger.info("compacted", metadata: ["tenant": "\(id)", "seq": "\(seq)", "bytes": "\(payload.count)"])
            } catch {
                logger.error("compaction failed", metadata: ["tenant": "\(id)", "error": "\(error)"])
                throw error
            }
        }
        compaction = task
        return task
    }

    /// Journal counters.
    public var journalStats: Journal.Stats { journal.stats }

    /// Flushes and closes the journal.
    public func close() async {
        // A snapshot being written finishes first: closing under it would fail it at shutdown.
        while let running = compaction {
            compaction = nil
            _ = try? await running.value
        }
        await journal.close()
    }
}
