import ApplianceStorage
import StorageTestSupport
import Dispatch
import Testing

/// A file system whose joint sync records how many files each call covered, and can hold the
/// first call until the test lets it go (so a round's worth of journals queue up behind it).
final class RoundRecordingFileSystem: ForwardingFileSystem {
    let base: MemoryFileSystem
    let rounds = Locked<[Int]>([])
    let holdFirst: Bool
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)

    init(base: MemoryFileSystem, holdFirst: Bool) {
        self.base = base
        self.holdFirst = holdFirst
    }

    func syncTogether(_ files: [any DurableFile]) throws {
        let first = rounds.withLock { r in r.append(files.count); return r.count == 1 }
        if first && holdFirst {
            entered.signal()
            release.wait()
        }
        try base.syncTogether(files)
    }
}

/// Opens a journal in `directory` on `fs` that flushes through `group`.
func openGroupedJournal(_ fs: any FileSystem, _ directory: String, group: JournalSyncGroup,
                        onFatal: @escaping @Sendable (StorageError) -> Void = { _ in }) throws -> Journal {
    if !fs.isDirectory(directory) { try fs.createDirectory(at: directory) }
    let recovered = try recover(fs, directory, mode: .repair)
    return try Journal(directory: directory, fs: fs, report: recovered.report, pool: testPool, group: group,
                       logger: quietLogger, onFatal: onFatal)
}

/// Waits for a semaphore without blocking a task's thread.
func wait(for semaphore: DispatchSemaphore) async {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().async {
            semaphore.wait()
            continuation.resume()
        }
    }
}

@Suite("JournalSyncGroup")
struct JournalSyncGroupTests {
    @Test("journals that fill while a sync runs are written and synced together in the next round, each in its own file")
    func readyJournalsShareOneSync() async throws {
        let fs = RoundRecordingFileSystem(base: MemoryFileSystem(), holdFirst: true)
        let group = JournalSyncGroup(fs: fs, pool: testPool)
        let journals = try (0..<10).map { try openGroupedJournal(fs, "/t\($0)", group: group) }
        // Journal 0's record starts a round, which stops in its sync...
        let first = try journals[0].enqueue(makeRecord(0))
        await wait(for: fs.entered)
        // ...while every other journal queues a record (and journal 0 a second one).
        var seqs = [UInt64](repeating: 0, count: journals.count)
        for (i, journal) in journals.enumerated().dropFirst() { seqs[i] = try journal.enqueue(makeRecord(i)) }
        seqs[0] = try journals[0].enqueue(makeRecord(100))
        fs.release.signal()
        try await journals[0].waitDurable(first)
        for (journal, seq) in zip(journals, seqs) { try await journal.waitDurable(seq) }
        // One sync for the first record, then one for the ten journals' records.
        #expect(fs.rounds.value == [1, 10])
        // Nothing acknowledged is lost to a crash, and each record is in its own journal.
        fs.base.crash()
        for (i, _) in journals.enumerated() {
            let records = try recover(fs.base, "/t\(i)").records.map(\.rec)
            #expect(records == (i == 0 ? [makeRecord(0), makeRecord(100)] : [makeRecord(i)]))
        }
        for journal in journals { await journal.close() }
    }

    @Test("many journals appending at once: every acknowledged record survives a crash")
    func concurrentJournalsLoseNothing() async throws {
        let fs = MemoryFileSystem()
        let group = JournalSyncGroup(fs: fs, pool: testPool)
        let journals = try (0..<20).map { try openGroupedJournal(fs, "/t\($0)", group: group) }
        let acked = Locked<[Int: [[UInt8]]]>([:])
        await withTaskGroup(of: Void.self) { tasks in
            for (i, journal) in journals.enumerated() {
                for n in 0..<40 {
                    tasks.addTask {
                        let rec = makeRecord(i * 1000 + n, size: 20 + n)
                        if (try? await journal.append(rec)) != nil { acked.withLock { $0[i, default: []].append(rec) } }
                    }
                }
            }
        }
        fs.crash()
        for i in journals.indices {
            let kept = try recover(fs, "/t\(i)").records.map(\.rec)
            #expect(Set(kept) == Set(acked.value[i] ?? []))
            #expect(kept.count == 40)
        }
        for journal in journals { await journal.close() }
    }

    @Test("a failed joint sync fails every journal of the round and calls the fatal handler; nothing unsynced is acknowledged")
    func failedJointSyncIsFatalForTheRound() async throws {
        let base = MemoryFileSystem()
        let fs = RoundRecordingFileSystem(base: base, holdFirst: true)
        let group = JournalSyncGroup(fs: fs, pool: testPool)
        let fatal = FatalRecorder()
        let journals = try (0..<3).map { try openGroupedJournal(fs, "/t\($0)", group: group, onFatal: fatal.handler) }
        let first = try journals[0].enqueue(makeRecord(0))
        await wait(for: fs.entered)
        let second = try journals[1].enqueue(makeRecord(1))
        let third = try journals[2].enqueue(makeRecord(2))
        base.setFault { op, _ in op == .sync }
        fs.release.signal()
        for (journal, seq) in [(journals[0], first), (journals[1], second), (journals[2], third)] {
            let error = await #expect(throws: StorageError.self) { try await journal.waitDurable(seq) }
            #expect(error?.code == .syncFailed)
            #expect(throws: StorageError.self) { try journal.enqueue(makeRecord(9)) }
        }
        #expect(await fatal.first().code == .syncFailed)
        base.setFault(nil)
        base.crash()
        for i in 0..<3 { #expect(try recover(base, "/t\(i)").records.isEmpty) }
    }
}
