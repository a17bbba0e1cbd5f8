import ApplianceStorage
import StorageTestSupport
import Dispatch
import Testing

/// Every record whose `append` returned survives a machine crash, whatever the crash leaves of
/// the unsynced tail, and group commit keeps fsyncs far below the record count.
@Suite("Crash durability")
struct CrashDurabilityTests {
    static let tails: [MemoryFileSystem.CrashTail] = [
        .none, .prefix(1), .prefix(60), .prefix(333), .prefix(1 << 20),
        .zeros(1), .zeros(4096), .garbage(3, seed: 1), .garbage(700, seed: 42), .garbage(9000, seed: 7),
    ]

    @Test("acknowledged records survive a crash", arguments: tails)
    func acknowledgedRecordsSurviveCrash(tail: MemoryFileSystem.CrashTail) async throws {
        let fs = MemoryFileSystem()
        let dir = "/data/tenants/t1"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)

        let records = 1500
        let failAfterAcks = 900
        let enqueued = Locked<[UInt64: [UInt8]]>([:])
        let acked = Locked<[UInt64]>([])
        let failedWaits = Locked(0)

        // Many tasks append concurrently; after `failAfterAcks` acknowledgements fdatasync starts
        // failing, so the batch in flight is written but never synced (power lost mid-flush).
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<records {
                group.addTask {
                    let rec = makeRecord(i, size: 20 + (i * 37) % 180)
                    guard let seq = try? journal.enqueue(rec) else { return }
                    enqueued.withLock { $0[seq] = rec }
                    do {
                        try await journal.waitDurable(seq)
                        let count = acked.withLock { $0.append(seq); return $0.count }
                        if count == failAfterAcks { fs.setFault { op, _ in op == .sync } }
                    } catch {
                        failedWaits.withLock { $0 += 1 }
                    }
                }
            }
        }
        // If everything was flushed before the fault bit, one more batch hits it.
        if journal.failure == nil {
            var tailSeqs: [UInt64] = []
            for i in 0..<12 {
                let rec = makeRecord(records + i, size: 90)
                // The fault may poison the journal concurrently: then there is nothing more to do.
                guard let seq = try? journal.enqueue(rec) else { break }
                enqueued.withLock { $0[seq] = rec }
                tailSeqs.append(seq)
            }
            for seq in tailSeqs {
                await #expect(throws: StorageError.self) { try await journal.waitDurable(seq) }
            }
        }
        // The journal is poisoned before the handler runs: only then is awaiting it safe.
        try #require(journal.failure?.code == .syncFailed)
        let fatalError = await fatal.first()
        #expect(fatalError.code == .syncFailed)
        #expect(journal.failure?.code == .syncFailed)
        #expect(throws: StorageError.self) { try journal.enqueue(makeRecord(0)) }
        #expect(acked.value.count >= failAfterAcks)

        // Power loss.
        fs.setFault(nil)
        fs.crash(tail: tail)

        let r = try recover(fs, dir)
        let ackedSet = Set(acked.value)
        let all = enqueued.value
        // Contiguous from 1, so every seq appears once and in order.
        #expect(r.seqs == seqs(through: r.seqs.count))
        #expect(ackedSet.isSubset(of: Set(r.seqs)))
        #expect(UInt64(r.seqs.count) >= ackedSet.max() ?? 0)
        // Everything returned is byte-for-byte what was enqueued under that seq.
        for entry in r.records {
            #expect(all[entry.seq] == entry.rec, "seq \(entry.seq) came back with different bytes")
        }
        switch tail {
        case .none:
            #expect(r.seqs.count == ackedSet.count, "an unacknowledged record survived a clean crash")
            #expect(r.report.tornTail == nil)
        case .zeros, .garbage:
            #expect(r.seqs.count == ackedSet.count)
            let torn = try #require(r.report.tornTail)
            #expect(torn.keptAs == torn.segment + ".broken-\(torn.offset)")
            #expect(fs.exists(dir + "/" + torn.keptAs!))
        case .prefix:
            break  // Complete unacknowledged records may survive; a partial one is cut off.
        }
        #expect(r.report.lastSeq == UInt64(r.seqs.count))

        // A second recovery finds a clean journal with the same records ...
        let again = try recover(fs, dir)
        #expect(again.report.tornTail == nil)
        #expect(again.records == r.records)
        // ... and a journal opened on it continues the sequence.
        let (reopened, _) = try openJournal(fs, dir)
        let next = try await reopened.append(makeRecord(99_999))
        #expect(next == UInt64(r.seqs.count) + 1)
        await reopened.close()
        fs.crash(tail: tail)
        let final = try recover(fs, dir)
        #expect(final.seqs == seqs(through: Int(next)))
        #expect(fatal.errors.count == 1)
    }

    @Test("records acknowledged in a freshly rotated segment survive a crash before the snapshot exists")
    func crashBetweenRotationAndSnapshot() async throws {
        let fs = MemoryFileSystem()
        let dir = "/r"
        let (journal, _) = try openJournal(fs, dir)
        var acked: [Recovered.Entry] = []
        func append(_ n: Int) async throws {
            let rec = makeRecord(n, size: 40)
            acked.append(.init(seq: try await journal.append(rec), rec: rec))
        }
        for i in 1...10 { try await append(i) }
        let seq = try #require(journal.beginCompaction())
        for i in 11...20 { try await append(i) }
        #expect(journal.stats.segmentCount == 2)
        // Power is lost before finishCompaction ran: no snapshot, no later directory fsync.
        fs.crash(tail: .garbage(100, seed: 3))
        let r = try recover(fs, dir)
        #expect(r.records == acked)
        #expect(r.report.segments.map(\.name) == [JournalFileName.segment(1), JournalFileName.segment(seq + 1)])
        #expect(r.snapshot == nil)
    }

    @Test("an append is acknowledged only once its own batch is synced")
    func acknowledgementNeverAheadOfSync() async throws {
        let fs = MemoryFileSystem()
        let dir = "/ack"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)
        // The first fdatasync (of a batch holding only record 1) waits until more records are
        // queued behind it, then succeeds; the second fdatasync fails. Only record 1 may be
        // acknowledged.
        let inFirstSync = AsyncEvent()
        let release = DispatchSemaphore(value: 0)
        let syncCalls = Locked(0)
        fs.setFault { op, _ in
            guard op == .sync else { return false }
            let n = syncCalls.withLock { $0 += 1; return $0 }
            if n == 1 { inFirstSync.signal(); release.wait() }
            return n >= 2
        }
        let first = try journal.enqueue(makeRecord(0, size: 30))
        // Should record 1 become durable without any fdatasync, stop waiting (and fail below).
        Task { try? await journal.waitDurable(first); inFirstSync.signal() }
        await inFirstSync.wait()
        let records = 300
        let queued = Locked(0)
        let acked = Locked<[UInt64]>([])
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                if (try? await journal.waitDurable(first)) != nil { acked.withLock { $0.append(first) } }
            }
            for i in 1...records {
                group.addTask {
                    guard let seq = try? journal.enqueue(makeRecord(i, size: 30)) else { return }
                    if queued.withLock({ $0 += 1; return $0 }) == records { release.signal() }
                    if (try? await journal.waitDurable(seq)) != nil { acked.withLock { $0.append(seq) } }
                }
            }
        }
        #expect(acked.value == [first], "records of the failed flush were acknowledged")
        try #require(journal.failure?.code == .syncFailed)
        _ = await fatal.first()
        #expect(journal.stats.durableSeq == first)
        fs.setFault(nil)
        fs.crash(tail: .none)
        let r = try recover(fs, dir)
        #expect(r.records == [.init(seq: first, rec: makeRecord(0, size: 30))])
        #expect(fatal.errors.count == 1)
    }

    @Test("concurrent appends are group-committed")
    func groupCommit() async throws {
        let fs = MemoryFileSystem()
        let (journal, _) = try openJournal(fs, "/gc")
        let syncsBefore = fs.syncCount
        let records = 2000
        let seqs = Locked<[UInt64]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<records {
                group.addTask {
                    let seq = try await journal.append(makeRecord(i, size: 64))
                    seqs.withLock { $0.append(seq) }
                }
            }
            try await group.waitForAll()
        }
        let syncs = fs.syncCount - syncsBefore
        #expect(seqs.value.sorted() == Array(1...UInt64(records)))
        #expect(syncs == journal.stats.flushes)
        // How much batching happens depends on scheduling (the in-memory fsync is instant), so
        // only require that some appends shared an fsync; the gated test below is exact.
        #expect(syncs < records, "\(syncs) fsyncs for \(records) concurrent appends: no group commit")
        #expect(journal.stats.durableSeq == UInt64(records))
        await journal.close()
        fs.crash()
        #expect(try recover(fs, "/gc").seqs == Array(1...UInt64(records)))
    }

    @Test("everything queued during an fsync goes out in the next single write and fsync")
    func groupCommitWhileSyncIsSlow() async throws {
        let fs = MemoryFileSystem()
        let (journal, _) = try openJournal(fs, "/gc")
        let syncsBefore = fs.syncCount
        let records = 1000
        // The first fdatasync blocks until every append has been queued (a slow disk).
        let allQueued = DispatchSemaphore(value: 0)
        let blockedOnce = Locked(false)
        fs.setFault { op, _ in
            if op == .sync, blockedOnce.withLock({ b in defer { b = true }; return !b }) { allQueued.wait() }
            return false
        }
        let queued = Locked(0)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<records {
                group.addTask {
                    let seq = try journal.enqueue(makeRecord(i, size: 64))
                    if queued.withLock({ $0 += 1; return $0 }) == records { allQueued.signal() }
                    try await journal.waitDurable(seq)
                }
            }
            try await group.waitForAll()
        }
        let syncs = fs.syncCount - syncsBefore
        #expect(syncs <= 2, "\(syncs) fsyncs: records queued behind a running fsync were not batched")
        #expect(journal.stats.flushes == syncs)
        #expect(journal.stats.durableSeq == UInt64(records))
        fs.setFault(nil)
        await journal.close()
        fs.crash()
        #expect(try recover(fs, "/gc").seqs == Array(1...UInt64(records)))
    }
}
