import ApplianceStorage
import Logging
import NIOPosix

/// What every tenant shares: the file system, the storage thread pool, the clock, the live
/// feed, compaction thresholds and the handler for a fatal sync failure.
public struct TenantContext: Sendable {
    public var fs: any FileSystem
    public var pool: NIOThreadPool
    /// The flusher every tenant's journal shares (one sync per round for all of them).
    public var syncGroup: JournalSyncGroup
    /// The task that merges every tenant's waiting order deliveries.
    public var drainer = InboxDrainer()
    public var clock: any WallClock
    public var feed: LiveFeed
    public var logger: Logger
    /// Compact after this many records since the last snapshot.
    public var compactAfterRecords: Int
    /// Compact after this many journal bytes since the last snapshot.
    public var compactAfterBytes: Int
    /// Called when `fdatasync` fails (the server exits: acknowledged data might be lost otherwise).
    public var onFatal: @Sendable (StorageError) -> Void
    /// Where confirmation jobs are armed (the scheduler); nil when nothing is sent (CLI tools).
    public var jobs: (any JobSink)?
    /// How much a Cloud API retry waits, and how many attempts there are.
    public var retryPolicy = RetryPolicy()
    /// The WhatsApp Web module's runtime link status; nil when WhatsApp Web is not wired.
    public var webLinks: (any WebLinkStatusSource)?
    /// Where orders' Shopify write-backs are queued (the outbox); nil when nothing is written back (CLI tools).
    public var writeBacks: (any WriteBackSink)?

    public init(
        fs: any FileSystem = PosixFileSystem(), pool: NIOThreadPool, clock: any WallClock = SystemWallClock(), feed: LiveFeed,
        logger: Logger, compactAfterRecords: Int = 100_000, compactAfterBytes: Int = 64 << 20,
        onFatal: @escaping @Sendable (StorageError) -> Void
    ) {
        self.fs = fs
        self.pool = pool
        self.syncGroup = JournalSyncGroup(fs: fs, pool: pool)
        self.clock = clock
        self.feed = feed
        self.logger = logger
        self.compactAfterRecords = compactAfterRecords
        self.compactAfterBytes = compactAfterBytes
        self.onFatal = onFatal
    }
}
