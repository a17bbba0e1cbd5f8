import CoreMetrics
import Dispatch

/// What the storage engine reports through swift-metrics (a no-op until the server bootstraps
/// a backend): fsync latency, bytes written to journals and snapshots, compactions.
public enum StorageMetrics {
    static let fsyncDuration = CoreMetrics.Timer(label: "journal_fsync_seconds")
    static let journalBytes = Counter(label: "journal_bytes_written_total")
    static let journalBatches = Counter(label: "journal_group_commits_total")
    /// Sync calls made for journal batches: several tenants' batches share one (``JournalSyncGroup``).
    static let journalSyncs = Counter(label: "journal_syncs_total")
    static let snapshotBytes = Counter(label: "snapshot_bytes_written_total")
    static let compactions = Counter(label: "compactions_total")

    /// Creates every series now, so a scrape lists them (at zero) before the first event.
    public static func register() {
        _ = (fsyncDuration, journalBytes, journalBatches, journalSyncs, snapshotBytes, compactions)
    }

    /// Counts one journal's batch of `bytes` made durable.
    static func recordBatch(bytes: Int) {
        journalBytes.increment(by: bytes)
        journalBatches.increment()
    }

    /// Counts one finished compaction and its snapshot's size.
    static func recordCompaction(snapshotBytes bytes: Int) {
        snapshotBytes.increment(by: bytes)
        compactions.increment()
    }

    /// Runs `body` (an fsync) and records how long it took.
    static func timeSync<T>(_ body: () throws -> T) rethrows -> T {
        journalSyncs.increment()
        let start = DispatchTime.now().uptimeNanoseconds
        defer { fsyncDuration.recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start)) }
        return try body()
    }
}
