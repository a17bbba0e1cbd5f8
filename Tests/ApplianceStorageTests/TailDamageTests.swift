import ApplianceStorage
import Testing

/// Damage at the end of the last segment is a torn write and is cut off; the same damage
/// anywhere else is corruption and recovery refuses to touch anything.
@Suite("Tail and mid-journal damage")
struct TailDamageTests {
    /// A journal of 30 records in one segment, closed. Returns the records.
    static func writeJournal(_ fs: any FileSystem, _ dir: String, count: Int = 30, from first: Int = 1) async throws -> [[UInt8]] {
        let (journal, _) = try openJournal(fs, dir)
        var recs: [[UInt8]] = []
        for i in first..<(first + count) {
            let rec = makeRecord(i, size: 20 + (i * 13) % 70)
            recs.append(rec)
            try await journal.append(rec)
        }
        await journal.close()
        return recs
    }

    enum Tail: String, CaseIterable, Sendable {
        case zeros, garbage, garbageWithNewlines, zerosAfterPartialRecord, halfRecordThenGarbage
    }

    static func tailBytes(_ tail: Tail, lastRecordLine: [UInt8]) -> [UInt8] {
        switch tail {
        case .zeros: return [UInt8](repeating: 0, count: 4096)
        case .garbage: return pseudoRandomBytes(1000, seed: 99).map { $0 == 0x0A ? 0x0B : $0 }
        case .garbageWithNewlines:
            var g = pseudoRandomBytes(3000, seed: 5)
            for i in stride(from: 17, to: g.count, by: 97) { g[i] = 0x0A }
            return g
        case .zerosAfterPartialRecord: return Array(lastRecordLine.prefix(25)) + [UInt8](repeating: 0, count: 512)
        case .halfRecordThenGarbage:
            return Array(lastRecordLine.prefix(lastRecordLine.count / 2)) + [0x0A] + pseudoRandomBytes(200, seed: 3)
        }
    }

    @Test("a damaged tail of the last segment is cut off", arguments: Tail.allCases)
    func tailIsCutOff(tail: Tail) async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { dir in
            let recs = try await Self.writeJournal(fs, dir)
            let name = try requireSegments(fs, dir)[0]
            let path = dir + "/" + name
            let good = try fs.readFile(at: path)
            var line: [UInt8] = []
            RecordFrame.encode(seq: 31, rec: makeRecord(31, size: 50), into: &line)
            let damage = Self.tailBytes(tail, lastRecordLine: line)
            try overwrite(fs, path, with: good + damage)

            let r = try recover(fs, dir)
            #expect(r.seqs == Array(1...30))
            #expect(r.records.map(\.rec) == recs)
            let torn = try #require(r.report.tornTail)
            #expect(torn.offset == good.count)
            #expect(torn.length == damage.count)
            #expect(try fs.readFile(at: path) == good)
            #expect(try fs.readFile(at: dir + "/" + name + ".broken-\(good.count)") == damage)
            #expect(try recover(fs, dir).report.tornTail == nil)
        }
    }

    static func recordRange(_ bytes: [UInt8], record n: Int) -> Range<Int> {
        let ends = lineEnds(bytes)
        return ends[n - 1]..<ends[n]
    }

    @Test("every single-byte flip in record 10 of 30 is corruption and changes nothing", arguments: [UInt8(0x01), 0x80])
    func flippedByteInTheMiddle(mask: UInt8) async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { dir in
            _ = try await Self.writeJournal(fs, dir)
            let path = dir + "/" + (try requireSegments(fs, dir)[0])
            let good = try fs.readFile(at: path)
            for i in Self.recordRange(good, record: 10) {
                var bad = good
                bad[i] ^= mask
                try overwrite(fs, path, with: bad)
                let before = try dumpDirectory(fs, dir)
                for mode in [JournalReader.Mode.readOnly, .repair] {
                    let error = #expect(throws: StorageError.self, "byte \(i)") { try recover(fs, dir, mode: mode) }
                    #expect(error?.code == .corrupt || error?.code == .sequenceGap, "byte \(i): \(String(describing: error))")
                }
                #expect(try dumpDirectory(fs, dir) == before, "byte \(i): files changed")
            }
        }
    }

    @Test("a missing record is a sequence gap and changes nothing")
    func missingRecord() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { dir in
            _ = try await Self.writeJournal(fs, dir)
            let path = dir + "/" + (try requireSegments(fs, dir)[0])
            let good = try fs.readFile(at: path)
            for n in [1, 10, 29] {
                var bad = good
                bad.removeSubrange(Self.recordRange(good, record: n))
                try overwrite(fs, path, with: bad)
                let before = try dumpDirectory(fs, dir)
                let error = #expect(throws: StorageError.self) { try recover(fs, dir) }
                #expect(error?.code == .sequenceGap, "record \(n) removed: \(String(describing: error))")
                #expect(try dumpDirectory(fs, dir) == before)
            }
            // Two records swapped.
            var swapped = Array(good[..<Self.recordRange(good, record: 10).lowerBound])
            swapped += good[Self.recordRange(good, record: 11)] + good[Self.recordRange(good, record: 10)]
            swapped += good[Self.recordRange(good, record: 12).lowerBound...]
            try overwrite(fs, path, with: swapped)
            let error = #expect(throws: StorageError.self) { try recover(fs, dir) }
            #expect(error?.code == .sequenceGap)
        }
    }

    @Test("a mangled record in the middle followed by valid records is corruption")
    func mangledMiddleRecord() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { dir in
            _ = try await Self.writeJournal(fs, dir)
            let path = dir + "/" + (try requireSegments(fs, dir)[0])
            let good = try fs.readFile(at: path)
            let r10 = Self.recordRange(good, record: 10)
            for replacement in [[UInt8](repeating: 0, count: r10.count - 1) + [0x0A],
                                Array(good[r10].prefix(20)) + [0x0A],
                                [0x0A]] {
                var bad = good
                bad.replaceSubrange(r10, with: replacement)
                try overwrite(fs, path, with: bad)
                let before = try dumpDirectory(fs, dir)
                let error = #expect(throws: StorageError.self) { try recover(fs, dir) }
                #expect(error?.code == .corrupt)
                #expect(try dumpDirectory(fs, dir) == before)
            }
        }
    }

    enum NonLastDamage: String, CaseIterable, Sendable {
        case truncatedLastRecord, zeroTail, garbageTail, flippedLastRecord, missingLastRecord
    }

    @Test("damage at the end of a segment that is not the last is corruption", arguments: NonLastDamage.allCases)
    func damageInNonLastSegment(damage: NonLastDamage) async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { dir in
            let (journal, _) = try openJournal(fs, dir)
            for i in 1...30 { try await journal.append(makeRecord(i, size: 30)) }
            // Seal the segment at 30 without a snapshot.
            #expect(journal.beginCompaction() == 30)
            for i in 31...40 { try await journal.append(makeRecord(i, size: 30)) }
            journal.abandonCompaction()
            await journal.close()
            let names = try segmentNames(fs, dir)
            #expect(names == [JournalFileName.segment(1), JournalFileName.segment(31)])
            #expect(try recover(fs, dir, mode: .readOnly).seqs == Array(1...40))

            let path = dir + "/" + names[0]
            let good = try fs.readFile(at: path)
            let last = Self.recordRange(good, record: 30)
            var bad = good
            switch damage {
            case .truncatedLastRecord: bad.removeLast(5)
            case .zeroTail: bad += [UInt8](repeating: 0, count: 100)
            case .garbageTail: bad += pseudoRandomBytes(300, seed: 11)
            case .flippedLastRecord: bad[last.upperBound - 4] ^= 0x01
            case .missingLastRecord: bad.removeSubrange(last)
            }
            try overwrite(fs, path, with: bad)
            let before = try dumpDirectory(fs, dir)
            for mode in [JournalReader.Mode.readOnly, .repair] {
                let error = #expect(throws: StorageError.self) { try recover(fs, dir, mode: mode) }
                let expected: StorageError.Code = damage == .missingLastRecord ? .sequenceGap : .corrupt
                #expect(error?.code == expected, "\(String(describing: error))")
            }
            #expect(try dumpDirectory(fs, dir) == before)
        }
    }

    @Test("a missing middle segment is a sequence gap")
    func missingSegment() async throws {
        let fs = MemoryFileSystem()
        let dir = "/j"
        let (journal, _) = try openJournal(fs, dir)
        for round in 0..<3 {
            for i in 1...5 { try await journal.append(makeRecord(round * 10 + i)) }
            _ = journal.beginCompaction()
            try await journal.append(makeRecord(round * 10 + 9))
            journal.abandonCompaction()
        }
        await journal.close()
        let names = try segmentNames(fs, dir)
        #expect(names.count == 4)
        try fs.removeItem(at: dir + "/" + names[1])
        let error = #expect(throws: StorageError.self) { try recover(fs, dir) }
        #expect(error?.code == .sequenceGap)
    }
}
