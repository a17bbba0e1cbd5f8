import ApplianceStorage
import StorageTestSupport
import Testing

/// A file system that can make the next `append` write only part of its bytes and then fail,
/// as `write(2)` does when the disk fills up in the middle of a buffer.
final class TornAppendFileSystem: ForwardingFileSystem {
    let base: MemoryFileSystem
    let tearNextAppend = Locked(false)

    init(base: MemoryFileSystem) { self.base = base }

    final class File: DurableFile, @unchecked Sendable {
        let fs: TornAppendFileSystem
        let file: any DurableFile
        init(fs: TornAppendFileSystem, file: any DurableFile) { self.fs = fs; self.file = file }
        func append(_ bytes: [UInt8]) throws {
            if fs.tearNextAppend.withLock({ t in defer { t = false }; return t }) {
                try file.append(Array(bytes.prefix(max(1, bytes.count / 2))))
                throw StorageError(.io, "no space left on device", errno: 28)
            }
            try file.append(bytes)
        }
        func sync() throws { try file.sync() }
        func truncate(to size: Int) throws { try file.truncate(to: size) }
        var size: Int { file.size }
        func close() { file.close() }
    }

    func openForAppend(at path: String, create: Bool) throws -> any DurableFile {
        File(fs: self, file: try base.openForAppend(at: path, create: create))
    }
}

@Suite("Fault injection")
struct FaultInjectionTests {
    /// Appends `count` records from as many tasks; `onAck(n)` runs after the n-th acknowledgement.
    /// Returns the acknowledged records and how many appends failed.
    static func appendConcurrently(
        _ journal: Journal, count: Int, onAck: @escaping @Sendable (Int) -> Void
    ) async -> (acked: [Recovered.Entry], failed: Int) {
        let acked = Locked<[Recovered.Entry]>([])
        let failed = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                group.addTask {
                    let rec = makeRecord(i, size: 30 + i % 90)
                    do {
                        let seq = try await journal.append(rec)
                        let n = acked.withLock { $0.append(.init(seq: seq, rec: rec)); return $0.count }
                        onAck(n)
                    } catch {
                        failed.withLock { $0 += 1 }
                    }
                }
            }
        }
        return (acked.value.sorted { $0.seq < $1.seq }, failed.value)
    }

    @Test("a failing append (disk full) fails its batch, poisons the journal and loses nothing acknowledged")
    func appendFails() async throws {
        let fs = MemoryFileSystem()
        let dir = "/t"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)
        let (acked, _) = await Self.appendConcurrently(journal, count: 800) { n in
            if n == 400 { fs.setFault { op, _ in op == .append } }
        }
        // Whatever was in flight when the disk filled, the next append certainly fails.
        let error = await #expect(throws: StorageError.self) { try await journal.append(makeRecord(-1)) }
        #expect(error?.code == .io)
        #expect(journal.failure?.code == .io)
        #expect(acked.count >= 400)
        #expect(acked.map(\.seq) == seqs(through: acked.count))
        // The journal refuses further writes even once space is back.
        fs.setFault(nil)
        #expect(throws: StorageError.self) { try journal.enqueue(makeRecord(0)) }
        await #expect(throws: StorageError.self) { try await journal.append(makeRecord(0)) }
        #expect(journal.beginCompaction() == nil)
        #expect(fatal.errors.isEmpty, "a failed write is not fatal")

        // Recovery (no crash, and after one) returns exactly the acknowledged records.
        let r = try recover(fs, dir)
        #expect(r.records == acked)
        #expect(r.report.tornTail == nil)
        fs.crash()
        #expect(try recover(fs, dir).records == acked)

        let (reopened, _) = try openJournal(fs, dir)
        #expect(try await reopened.append(makeRecord(1)) == UInt64(acked.count) + 1)
        await reopened.close()
    }

    @Test("a partial append is cut off again before the journal gives up")
    func partialAppendIsUndone() async throws {
        let memory = MemoryFileSystem()
        let fs = TornAppendFileSystem(base: memory)
        let dir = "/t"
        let (journal, _) = try openJournal(fs, dir)
        var acked: [Recovered.Entry] = []
        for i in 1...10 {
            let rec = makeRecord(i, size: 50)
            acked.append(.init(seq: try await journal.append(rec), rec: rec))
        }
        let segment = dir + "/" + (try requireSegments(fs, dir)[0])
        let good = try fs.readFile(at: segment)
        fs.tearNextAppend.withLock { $0 = true }
        // A batch torn in the middle (enqueues after the tear find the journal poisoned).
        let seqs = (11...15).compactMap { try? journal.enqueue(makeRecord($0, size: 50)) }
        #expect(seqs.first == 11)
        for seq in seqs {
            await #expect(throws: StorageError.self) { try await journal.waitDurable(seq) }
        }
        #expect(journal.failure?.code == .io)
        #expect(try fs.readFile(at: segment) == good, "the partial bytes were not cut off")
        let r = try recover(fs, dir)
        #expect(r.records == acked)
        #expect(r.report.tornTail == nil)
        memory.crash(tail: .prefix(1000))
        #expect(try recover(fs, dir).records == acked)
    }

    @Test("a failing fdatasync calls onFatal once, fails the waiters and loses nothing acknowledged")
    func syncFails() async throws {
        let fs = MemoryFileSystem()
        let dir = "/t"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)
        let (acked, _) = await Self.appendConcurrently(journal, count: 800) { n in
            if n == 400 { fs.setFault { op, _ in op == .sync } }
        }
        await #expect(throws: StorageError.self) { try await journal.append(makeRecord(-1)) }
        try #require(journal.failure?.code == .syncFailed)  // so the handler is certain to run
        let error = await fatal.first()
        #expect(error.code == .syncFailed)
        #expect(journal.failure?.code == .syncFailed)
        #expect(acked.map(\.seq) == seqs(through: acked.count))
        // Nothing else reaches the disk or the handler.
        fs.setFault(nil)
        await #expect(throws: StorageError.self) { try await journal.append(makeRecord(0)) }
        #expect(journal.beginCompaction() == nil)
        await journal.close()
        #expect(fatal.errors.count == 1)
        #expect(journal.stats.durableSeq == UInt64(acked.count))

        // The written-but-unsynced batch is lost in the crash; everything acknowledged is there.
        fs.crash(tail: .none)
        let r = try recover(fs, dir)
        #expect(r.records == acked)
        #expect(r.report.tornTail == nil)
    }

    @Test("a failing directory fsync while opening a new segment is fatal and loses nothing acknowledged")
    func syncDirectoryFailsDuringRotation() async throws {
        let fs = MemoryFileSystem()
        let dir = "/t"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)
        var acked: [Recovered.Entry] = []
        for i in 1...10 {
            let rec = makeRecord(i)
            acked.append(.init(seq: try await journal.append(rec), rec: rec))
        }
        fs.setFault { op, _ in op == .syncDirectory }
        let seq = try #require(journal.beginCompaction())
        await #expect(throws: StorageError.self) {
            try await journal.finishCompaction(seq: seq, payload: encodeState(acked))
        }
        try #require(journal.failure?.code == .syncFailed)  // so the handler is certain to run
        #expect(await fatal.first().code == .syncFailed)
        #expect(!journal.stats.compacting)
        fs.setFault(nil)
        fs.crash()
        let r = try recover(fs, dir)
        #expect(r.records == acked)
        #expect(r.snapshot == nil)
        #expect(fatal.errors.count == 1)
    }

    enum CompactionFault: String, CaseIterable, Sendable { case writeAtomically, remove, syncDirectory }

    @Test("a compaction that fails throws, the journal keeps working, a retry succeeds and recovery is exact",
          arguments: CompactionFault.allCases)
    func compactionFails(fault: CompactionFault) async throws {
        let fs = MemoryFileSystem()
        let dir = "/t"
        let fatal = FatalRecorder()
        let (journal, _) = try openJournal(fs, dir, onFatal: fatal.handler)
        let owner = JournalOwner(journal)
        func append(_ n: Int) async throws {
            let seq = try await owner.enqueue(makeRecord(n, size: 40))
            try await journal.waitDurable(seq)
        }
        for i in 1...20 { try await append(i) }
        let (s1, state1) = try #require(await owner.beginCompaction())
        try await journal.finishCompaction(seq: s1, payload: encodeState(state1))
        for i in 21...40 { try await append(i) }

        // The second compaction removes segment 1 and snapshot 0 ... and fails.
        let directorySyncs = Locked(0)
        switch fault {
        case .writeAtomically: fs.setFault { op, path in op == .writeAtomically && path.hasSuffix(".bin") }
        case .remove: fs.setFault { op, _ in op == .remove }
        case .syncDirectory:
            // The first directory fsync is the new segment's (let it pass), the second the compaction's.
            fs.setFault { op, _ in op == .syncDirectory && directorySyncs.withLock { $0 += 1; return $0 } >= 2 }
        }
        let (s2, state2) = try #require(await owner.beginCompaction())
        #expect(s2 == 40)
        await #expect(throws: StorageError.self) {
            try await journal.finishCompaction(seq: s2, payload: encodeState(state2))
        }
        fs.setFault(nil)
        #expect(journal.failure == nil)
        #expect(!journal.stats.compacting)
        #expect(fatal.errors.isEmpty)
        #expect(try recover(fs, dir, mode: .readOnly).report.tornTail == nil)

        // Retry at once, with nothing written in between: the current segment is still empty.
        let (retry, retryState) = try #require(await owner.beginCompaction())
        #expect(retry == s2)
        try await journal.finishCompaction(seq: retry, payload: encodeState(retryState))
        #expect(journal.stats.snapshotSeq == s2)
        for i in 41...45 { try await append(i) }
        let all = await owner.applied
        await journal.close()

        fs.crash()
        #expect(try snapshotSeqs(fs, dir) == [s1, s2])
        #expect(try segmentNames(fs, dir) == [JournalFileName.segment(s1 + 1), JournalFileName.segment(s2 + 1)])
        let r = try recover(fs, dir)
        #expect(r.snapshot?.seq == s2)
        #expect(r.report.tornTail == nil)
        #expect(fullState(r) == all)
        #expect(all.map(\.seq) == Array(1...45))
    }
}
