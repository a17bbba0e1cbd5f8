import Logging
import NIOPosix
import Synchronization

/// A per-tenant write-ahead journal with group commit.
///
/// ``enqueue(_:)`` frames a record, gives it the next sequence number and queues it without
/// waiting; the flusher of its ``JournalSyncGroup`` (shared by a data directory's journals, on
/// the storage thread pool) takes everything queued, makes one `write`, syncs it together with
/// the other journals' batches of that round, and then resumes every ``waitDurable(_:)`` caller
/// whose record is on disk. Acknowledge a write only after ``waitDurable(_:)`` returns.
///
/// A failed `fdatasync` poisons the journal and calls the fatal handler (the server exits: the
/// kernel may have dropped the dirty pages, so a retry could lie). A failed `write` (a full
/// disk) cuts the partial bytes off again and poisons the journal; the owner recovers a fresh
/// journal from disk, which holds exactly what was acknowledged.
public final class Journal: Sendable {
    /// Tuning knobs.
    public struct Options: Sendable {
        /// Capacity reserved for the next batch's buffer after a flush, up to this many bytes.
        /// (Every flush writes everything queued: one `write` per batch, synced with the group's round.)
        public var reserveBytes: Int = 1 << 20
        public init() {}
    }

    /// Counters describing the journal, for compaction triggers and metrics.
    public struct Stats: Sendable, Equatable {
        public var lastSeq: UInt64
        public var durableSeq: UInt64
        public var snapshotSeq: UInt64
        public var recordsSinceSnapshot: Int
        public var bytesSinceSnapshot: Int
        public var segmentCount: Int
        public var flushes: Int
        public var compacting: Bool
    }

    struct Waiter {
        /// How a waiter is woken.
        enum Wake {
            /// A suspended task. Unchecked: every waiter is woken exactly once, by the flusher
            /// (``finish(_:)``) or by ``fail(_:)``, each after taking it out of the state under
            /// the lock; the checked kind cost an allocation per acknowledged write.
            case task(UnsafeContinuation<Void, any Error>)
            /// A callback (``whenDurable(_:_:)``), run on the thread that wakes it.
            case call(@Sendable (StorageError?) -> Void)
        }

        let seq: UInt64
        let wake: Wake

        func resume(_ error: StorageError?) {
            switch wake {
            case .task(let continuation):
                if let error { continuation.resume(throwing: error) } else { continuation.resume() }
            case .call(let body):
                body(error)
            }
        }
    }

    struct Segment {
        var firstSeq: UInt64
        var name: String
    }

    struct State {
        var nextSeq: UInt64
        var durableSeq: UInt64
        var pending: [UInt8] = []
        var pendingLastSeq: UInt64 = 0
        /// A requested segment switch: bytes of `pending` before `split` go to the old segment.
        var rotation: (split: Int, firstSeq: UInt64)?
        var rotationWaiters: [CheckedContinuation<Void, any Error>] = []
        var waiters: [Waiter] = []
        var flushing = false
        var failure: StorageError?
        var segments: [Segment]
        var snapshots: [UInt64]
        var recordsSinceSnapshot: Int
        var bytesSinceSnapshot: Int
        var compacting = false
        /// A rotation was requested and its new segment is not open yet.
        var rotating = false
        var flushes = 0
        var closed = false
    }

    /// The file the flusher writes; touched only by the single running flusher.
    final class Writer: @unchecked Sendable {
        var file: any DurableFile
        init(file: any DurableFile) { self.file = file }
    }

    /// The directory holding this journal's segments and snapshots.
    public let directory: String
    let fs: any FileSystem
    let pool: NIOThreadPool
    let options: Options
    let logger: Logger
    let onFatal: @Sendable (StorageError) -> Void
    let state: Mutex<State>
    let writer: Writer
    /// The flusher this journal shares with the others of its data directory.
    let group: JournalSyncGroup

    /// Opens the journal in `directory` after recovery, continuing after `report.lastSeq`.
    ///
    /// - Parameters:
    ///   - report: what ``JournalReader/recover(directory:fs:mode:logger:onSnapshot:onRecord:)`` found (repair mode).
    ///   - group: the flusher shared with other journals (nil: one of its own).
    ///   - onFatal: called once when `fdatasync` fails; the server's handler exits the process.
    public init(
        directory: String, fs: any FileSystem, report: RecoveryReport, pool: NIOThreadPool,
        group: JournalSyncGroup? = nil, options: Options = Options(), logger: Logger,
        onFatal: @escaping @Sendable (StorageError) -> Void
    ) throws {
        self.directory = directory
        self.group = group ?? JournalSyncGroup(fs: fs, pool: pool)
        self.fs = fs
        self.pool = pool
        self.options = options
        self.logger = logger
        self.onFatal = onFatal
        var segments = report.segments.map { Segment(firstSeq: $0.firstSeq, name: $0.name) }
        let file: any DurableFile
        if let last = segments.last {
            file = try fs.openForAppend(at: directory + "/" + last.name, create: false)
            // Recovery makes durable what it keeps: records that reached the file but not the
            // disk (the process died before its fdatasync, or that fdatasync failed) are synced
            // now, before anything is answered from them ("already stored" to a redelivery),
            // and so is the folder the repair may have changed.
            do {
                try file.sync()
                try fs.syncDirectory(at: directory)
            } catch {
                file.close()
                throw error
            }
        } else {
            let first = report.lastSeq + 1
            let name = JournalFileName.segment(first)
            file = try Self.createSegment(fs: fs, directory: directory, name: name, number: 1, firstSeq: first)
            segments.append(Segment(firstSeq: first, name: name))
        }
        self.writer = Writer(file: file)
        self.state = Mutex(State(
            nextSeq: report.lastSeq + 1, durableSeq: report.lastSeq, segments: segments,
            snapshots: report.snapshots, recordsSinceSnapshot: report.replayed, bytesSinceSnapshot: report.replayedBytes))
    }

    static func createSegment(fs: any FileSystem, directory: String, name: String, number: Int, firstSeq: UInt64) throws -> any DurableFile {
        let file = try fs.openForAppend(at: directory + "/" + name, create: true)
        do {
            try file.append(JournalFileName.header(segment: UInt64(number), firstSeq: firstSeq))
            try file.sync()
            try fs.syncDirectory(at: directory)
        } catch {
            file.close()
            throw error
        }
        return file
    }

    /// Counters for compaction triggers and metrics.
    public var stats: Stats {
        state.withLock { s in
            Stats(lastSeq: s.nextSeq - 1, durableSeq: s.durableSeq, snapshotSeq: s.snapshots.last ?? 0,
                  recordsSinceSnapshot: s.recordsSinceSnapshot, bytesSinceSnapshot: s.bytesSinceSnapshot,
                  segmentCount: s.segments.count, flushes: s.flushes, compacting: s.compacting)
        }
    }

    /// Why the journal refuses writes, if it does.
    public var failure: StorageError? { state.withLock { $0.failure } }

    /// Frames `rec` (one JSON object, not empty, no newline) with the next sequence number and queues it.
    /// Returns that sequence number; the record is durable once ``waitDurable(_:)`` returns for it.
    public func enqueue(_ rec: [UInt8]) throws -> UInt64 {
        if rec.contains(0x0A) { throw StorageError(.invalidRecord, "record contains a newline") }
        // The reader needs at least one byte between `"rec":` and the closing `}`.
        if rec.isEmpty { throw StorageError(.invalidRecord, "record is empty") }
        let (seq, start) = try state.withLock { s -> (UInt64, Bool) in
            if let failure = s.failure { throw failure }
            if s.closed { throw StorageError(.unavailable, "journal closed", path: directory) }
            let seq = s.nextSeq
            s.nextSeq += 1
            let before = s.pending.count
            RecordFrame.encode(seq: seq, rec: rec, into: &s.pending)
            s.pendingLastSeq = seq
            s.recordsSinceSnapshot += 1
            s.bytesSinceSnapshot += s.pending.count - before
            let start = !s.flushing
            s.flushing = true
            return (seq, start)
        }
        if start { startFlusher() }
        return seq
    }

    /// Queues `rec` and waits until it is durable. Returns its sequence number.
    @discardableResult
    public func append(_ rec: [UInt8]) async throws -> UInt64 {
        let seq = try enqueue(rec)
        try await waitDurable(seq)
        return seq
    }

    /// The highest sequence number handed out so far.
    public var lastSeq: UInt64 { state.withLock { $0.nextSeq - 1 } }

    /// Waits until every record up to `seq` is on disk.
    public func waitDurable(_ seq: UInt64) async throws {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<Void, any Error>) in
            let immediate: Result<Void, any Error>? = state.withLock { s in
                if s.durableSeq >= seq { return .success(()) }
                if let failure = s.failure { return .failure(failure) }
                s.waiters.append(Waiter(seq: seq, wake: .task(continuation)))
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }

    /// Calls `body` once every record up to `seq` is on disk (nil), or once that can no longer
    /// happen (the error): at once when either is already so, else on the flusher's thread, so
    /// `body` must be short and must not block. For callers that wait for many records at once
    /// without a task each.
    public func whenDurable(_ seq: UInt64, _ body: @escaping @Sendable (StorageError?) -> Void) {
        let immediate: StorageError?? = state.withLock { s in
            if s.durableSeq >= seq { return .some(nil) }
            if let failure = s.failure { return .some(failure) }
            s.waiters.append(Waiter(seq: seq, wake: .call(body)))
            return .none
        }
        if let immediate { body(immediate) }
    }

    /// Hands the journal to its sync group's flusher (call once `flushing` was set).
    func startFlusher() {
        group.schedule(self)
    }

    struct Batch {
        var bytes: [UInt8]
        var lastSeq: UInt64
        var rotation: (split: Int, firstSeq: UInt64, number: Int)?
    }

    /// Takes everything queued as one batch, or nil (and the journal stops flushing) when
    /// nothing is queued or it failed. Called by the sync group's flusher only.
    func takeBatch() -> Batch? {
        state.withLock { s in
            if s.failure != nil || (s.pending.isEmpty && s.rotation == nil) {
                s.flushing = false
                return nil
            }
            var batch = Batch(bytes: [], lastSeq: s.pendingLastSeq)
            swap(&batch.bytes, &s.pending)
            if let rotation = s.rotation {
                batch.rotation = (rotation.split, rotation.firstSeq, s.segments.count + 1)
                s.rotation = nil
            }
            s.pending.reserveCapacity(min(batch.bytes.count, options.reserveBytes))
            return batch
        }
    }

    /// Appends `batch` to the segment file (switching segments first where a compaction asked),
    /// not yet synced: the group syncs every written journal together. Returns false after
    /// poisoning the journal when a write failed.
    func writeBatch(_ batch: Batch) -> Bool {
        do {
            if let rotation = batch.rotation {
                // The sealed segment's part is synced before the file is closed.
                try append(Array(batch.bytes[..<rotation.split]))
                if rotation.split > 0 { try StorageMetrics.timeSync { try writer.file.sync() } }
                let name = JournalFileName.segment(rotation.firstSeq)
                let file = try Self.createSegment(fs: fs, directory: directory, name: name,
                                                  number: rotation.number, firstSeq: rotation.firstSeq)
                writer.file.close()
                writer.file = file
                state.withLock { $0.segments.append(Segment(firstSeq: rotation.firstSeq, name: name)) }
                if rotation.split < batch.bytes.count { try append(Array(batch.bytes[rotation.split...])) }
                let waiters = state.withLock { s in
                    s.rotating = false
                    defer { s.rotationWaiters = [] }
                    return s.rotationWaiters
                }
                for w in waiters { w.resume() }
            } else {
                try append(batch.bytes)
            }
            return true
        } catch let error as StorageError {
            fail(error)
            if error.code == .syncFailed { onFatal(error) }
            return false
        } catch {
            fail(StorageError(.io, "\(error)", path: directory))
            return false
        }
    }

    /// After the group's sync: `batch` is durable; resumes the waiters it covers.
    func finish(_ batch: Batch) {
        let ready: [Waiter] = state.withLock { s in
            s.durableSeq = max(s.durableSeq, batch.lastSeq)
            s.flushes += 1
            let durable = s.durableSeq
            var ready: [Waiter] = []
            s.waiters.removeAll { w in
                if w.seq <= durable { ready.append(w); return true }
                return false
            }
            return ready
        }
        StorageMetrics.recordBatch(bytes: batch.bytes.count)
        for w in ready { w.resume(nil) }
    }

    /// Appends `bytes` to the current segment; undoes a partial append on failure.
    func append(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let file = writer.file
        let before = file.size
        do {
            try file.append(bytes)
        } catch {
            try? file.truncate(to: before)
            throw error
        }
    }

    /// Poisons the journal: every waiter and every later call fails with `error`.
    func fail(_ error: StorageError) {
        let (waiters, rotationWaiters) = state.withLock { s in
            if s.failure == nil { s.failure = error }
            s.flushing = false
            defer { s.waiters = []; s.rotationWaiters = [] }
            return (s.waiters, s.rotationWaiters)
        }
        logger.critical("journal write failed; refusing further writes", metadata: ["dir": "\(directory)", "error": "\(error)"])
        for w in waiters { w.resume(error) }
        for w in rotationWaiters { w.resume(throwing: error) }
    }

    /// Closes a journal that failed, without waiting (its owner recovers a new one from disk).
    public func abandon() {
        let shouldClose = state.withLock { s -> Bool in
            defer { s.closed = true }
            return !s.closed && !s.flushing
        }
        if shouldClose { writer.file.close() }
    }

    /// Waits for queued records to reach disk and closes the segment file.
    /// New records are refused from the start, so nothing is written after the file is closed.
    public func close() async {
        let last = state.withLock { s -> UInt64 in
            s.closed = true
            return s.nextSeq - 1
        }
        try? await waitDurable(last)
        // A segment switch of a compaction may still be under way: let it finish with the file.
        try? await waitRotation()
        try? await pool.runIfActive { [writer] in writer.file.close() }
    }
}
