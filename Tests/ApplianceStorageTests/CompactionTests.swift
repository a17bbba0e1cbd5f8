import ApplianceStorage
import StorageTestSupport
import Testing

/// The owner of a journal, as a tenant actor would be: it enqueues and applies records in one
/// step, so that a copy of its state taken next to `beginCompaction()` is the state at that seq.
actor JournalOwner {
    let journal: Journal
    private(set) var applied: [Recovered.Entry] = []

    init(_ journal: Journal, applied: [Recovered.Entry] = []) {
        self.journal = journal
        self.applied = applied
    }

    func enqueue(_ rec: [UInt8]) throws -> UInt64 {
        let seq = try journal.enqueue(rec)
        applied.append(.init(seq: seq, rec: rec))
        return seq
    }

    func beginCompaction() -> (seq: UInt64, state: [Recovered.Entry])? {
        guard let seq = journal.beginCompaction() else { return nil }
        return (seq, applied)
    }
}

@Suite("Snapshots and compaction")
struct CompactionTests {
    enum Kind: String, CaseIterable, Sendable { case memory, posix }

    /// Segments expected on disk: every segment start in `starts` holding a record after
    /// `keepFrom`, plus the current one.
    static func expectedSegments(starts: [UInt64], keepFrom: UInt64) -> [String] {
        starts.indices.filter { i in i == starts.count - 1 || starts[i + 1] - 1 > keepFrom }
            .map { JournalFileName.segment(starts[$0]) }
    }

    @Test("snapshot + compaction round trip while appends continue", arguments: Kind.allCases)
    func roundTripWhileAppending(kind: Kind) async throws {
        switch kind {
        case .memory:
            let fs = MemoryFileSystem()
            try await roundTrip(fs: fs, dir: "/data/t1", crash: { fs.crash() })
        case .posix:
            try await withTemporaryDirectory { root in
                try await roundTrip(fs: PosixFileSystem(), dir: root + "/t1", crash: {})
            }
        }
    }

    func roundTrip(fs: any FileSystem, dir: String, crash: () -> Void) async throws {
        let (journal, _) = try openJournal(fs, dir)
        let owner = JournalOwner(journal)
        let acked = Locked<[UInt64: [UInt8]]>([:])
        let compactions = Locked<[UInt64]>([])

        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<6 {
                group.addTask {
                    for i in 0..<100 {
                        let rec = makeRecord(writer * 1000 + i, size: 16 + (i * 7 + writer * 31) % 120)
                        let seq = try await owner.enqueue(rec)
                        try await journal.waitDurable(seq)
                        acked.withLock { $0[seq] = rec }
                        guard writer == 0, [20, 50, 80].contains(i) else { continue }
                        // Compact while the other writers keep appending.
                        let (snapSeq, state) = try #require(await owner.beginCompaction())
                        #expect(state.map(\.seq) == Array(1...snapSeq))
                        try await journal.finishCompaction(seq: snapSeq, payload: encodeState(state))
                        let done = compactions.withLock { $0.append(snapSeq); return $0 }
                        // The previous snapshot stays; older snapshots and the segments it covers go.
                        let keepFrom = done.dropLast().last ?? 0
                        #expect(try snapshotSeqs(fs, dir) == Array(done.suffix(2)))
                        #expect(try segmentNames(fs, dir) ==
                                Self.expectedSegments(starts: [1] + done.map { $0 + 1 }, keepFrom: keepFrom))
                        #expect(journal.stats.snapshotSeq == snapSeq)
                    }
                }
            }
            try await group.waitForAll()
        }
        let snaps = compactions.value
        #expect(snaps.count == 3)
        #expect(snaps == snaps.sorted())
        let all = acked.value.sorted { $0.key < $1.key }.map { Recovered.Entry(seq: $0.key, rec: $0.value) }
        #expect(all.map(\.seq) == Array(1...600))
        #expect(try snapshotSeqs(fs, dir) == [snaps[1], snaps[2]])
        #expect(try segmentNames(fs, dir) == [JournalFileName.segment(snaps[1] + 1), JournalFileName.segment(snaps[2] + 1)])
        #expect(journal.stats.segmentCount == 2)
        await journal.close()
        crash()

        // Snapshot payload + replayed records = every acknowledged record.
        let r = try recover(fs, dir)
        #expect(r.snapshot?.seq == snaps[2])
        #expect(r.report.snapshots == [snaps[1], snaps[2]])
        #expect(r.records.first?.seq == snaps[2] + 1)
        #expect(r.report.replayed == 600 - Int(snaps[2]))
        #expect(fullState(r) == all)
        #expect(r.report.tornTail == nil && r.report.brokenSnapshots.isEmpty)

        // A corrupt newest snapshot: fall back to the previous one, nothing lost.
        let newest = dir + "/" + JournalFileName.snapshot(snaps[2])
        var bytes = try fs.readFile(at: newest)
        bytes[30] ^= 0x04
        try overwrite(fs, newest, with: bytes)
        let ro = try recover(fs, dir, mode: .readOnly)
        #expect(ro.snapshot?.seq == snaps[1])
        #expect(fs.exists(newest))
        let fallback = try recover(fs, dir)
        #expect(fallback.snapshot?.seq == snaps[1])
        #expect(fallback.report.brokenSnapshots == [JournalFileName.snapshot(snaps[2])])
        #expect(!fs.exists(newest))
        #expect(fs.exists(newest + ".broken"))
        #expect(fallback.report.snapshots == [snaps[1]])
        #expect(fullState(fallback) == all)
        #expect(fallback.report.lastSeq == 600)

        // The journal goes on from there and compacts again.
        let (reopened, again) = try openJournal(fs, dir)
        #expect(again.report.brokenSnapshots.isEmpty)
        let owner2 = JournalOwner(reopened, applied: fullState(again))
        var expected = all
        for i in 0..<10 {
            let rec = makeRecord(50_000 + i)
            let seq = try await owner2.enqueue(rec)
            try await reopened.waitDurable(seq)
            expected.append(.init(seq: seq, rec: rec))
        }
        let (s4, state4) = try #require(await owner2.beginCompaction())
        #expect(s4 == 610)
        try await reopened.finishCompaction(seq: s4, payload: encodeState(state4))
        try await reopened.append(makeRecord(60_000))
        expected.append(.init(seq: 611, rec: makeRecord(60_000)))
        await reopened.close()
        crash()
        #expect(try snapshotSeqs(fs, dir) == [snaps[1], 610])
        let final = try recover(fs, dir)
        #expect(final.snapshot?.seq == 610)
        #expect(fullState(final) == expected)
    }

    @Test("beginCompaction returns nil with nothing new, while compacting, and after a failure")
    func beginCompactionNil() async throws {
        let fs = MemoryFileSystem()
        let (journal, _) = try openJournal(fs, "/c")
        #expect(journal.beginCompaction() == nil)  // nothing written yet
        try await journal.append(makeRecord(1))
        let seq = try #require(journal.beginCompaction())
        #expect(seq == 1)
        #expect(journal.stats.compacting)
        #expect(journal.beginCompaction() == nil)  // already compacting
        try await journal.finishCompaction(seq: seq, payload: encodeState([.init(seq: 1, rec: makeRecord(1))]))
        #expect(!journal.stats.compacting)
        #expect(journal.beginCompaction() == nil)  // nothing since the snapshot
        try await journal.append(makeRecord(2))
        #expect(journal.stats.recordsSinceSnapshot == 1)
        await journal.close()
        #expect(journal.beginCompaction() == nil)  // closed
    }

    @Test("compacting again with nothing written since the last rotation does not reopen the current segment")
    func compactAgainWithEmptyCurrentSegment() async throws {
        let fs = MemoryFileSystem()
        let dir = "/c"
        let entries = (1...5).map { Recovered.Entry(seq: UInt64($0), rec: makeRecord($0)) }
        let (journal, _) = try openJournal(fs, dir)
        for e in entries { try await journal.append(e.rec) }
        let seq = try #require(journal.beginCompaction())
        try await journal.finishCompaction(seq: seq, payload: encodeState(entries))
        await journal.close()
        #expect(try segmentNames(fs, dir) == [JournalFileName.segment(1), JournalFileName.segment(6)])

        // The snapshot turns out broken: recovery falls back to replaying everything, and the
        // current segment (6) holds no record yet.
        let snapshot = dir + "/" + JournalFileName.snapshot(5)
        var bytes = try fs.readFile(at: snapshot)
        bytes[bytes.count / 2] ^= 0x01
        try overwrite(fs, snapshot, with: bytes)
        let (reopened, recovered) = try openJournal(fs, dir)
        #expect(recovered.snapshot == nil)
        #expect(recovered.seqs == [1, 2, 3, 4, 5])

        // Compacting again at the same seq must not append a second header to segment 6.
        let again = try #require(reopened.beginCompaction())
        #expect(again == 5)
        try await reopened.finishCompaction(seq: again, payload: encodeState(entries))
        var all = entries
        for i in 6...8 {
            try await reopened.append(makeRecord(i))
            all.append(.init(seq: UInt64(i), rec: makeRecord(i)))
        }
        await reopened.close()
        fs.crash()
        let r = try recover(fs, dir)
        #expect(r.report.tornTail == nil)
        #expect(r.snapshot?.seq == 5)
        #expect(fullState(r) == all)
        #expect(try segmentNames(fs, dir).last == JournalFileName.segment(6))
        #expect(r.report.segments.map(\.name) == (try segmentNames(fs, dir)))
    }
}
