import ApplianceStorage
import Testing

/// Cuts a real segment file at every byte offset and checks what recovery makes of each prefix.
@Suite("Truncation sweep")
struct TruncationSweepTests {
    @Test("every prefix of a segment recovers exactly the complete records in it")
    func everyPrefix() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { root in
            let source = root + "/source"
            let (journal, _) = try openJournal(fs, source)
            var recs: [[UInt8]] = []
            for i in 0..<30 {
                let rec = makeRecord(i, size: [12, 1, 60, 25, 3, 44][i % 6] + i)
                recs.append(rec)
                try await journal.append(rec)
            }
            await journal.close()
            let segment = try #require(try segmentNames(fs, source).only)
            let bytes = try fs.readFile(at: source + "/" + segment)
            let ends = lineEnds(bytes)  // ends[0] is the header's end, ends[i] the end of record i.
            #expect(ends.count == 31)
            #expect(ends.last == bytes.count)

            for k in 0...bytes.count {
                let dir = root + "/k\(k)"
                try fs.createDirectory(at: dir)
                let file = try fs.openForAppend(at: dir + "/" + segment, create: true)
                try file.append(Array(bytes[..<k]))
                file.close()
                let path = dir + "/" + segment

                let complete = ends.dropFirst().filter { $0 <= k }.count
                let boundary = ends.contains(k)
                let cut = k < ends[0] ? 0 : ends.filter { $0 <= k }.max()!
                let expected = (0..<complete).map { Recovered.Entry(seq: UInt64($0 + 1), rec: recs[$0]) }

                // Read-only: reports the tail and changes nothing.
                let before = try dumpDirectory(fs, dir)
                let ro = try recover(fs, dir, mode: .readOnly)
                #expect(try dumpDirectory(fs, dir) == before, "read-only recovery changed files at k=\(k)")
                #expect(ro.records == expected, "read-only k=\(k)")
                if boundary {
                    #expect(ro.report.tornTail == nil, "k=\(k)")
                } else {
                    let torn = try #require(ro.report.tornTail, "k=\(k)")
                    #expect(torn.segment == segment && torn.offset == cut && torn.length == k - cut, "k=\(k)")
                    #expect(torn.keptAs == nil)
                }

                // Repair: same records, torn part kept aside, file cut to the last complete record.
                let r = try recover(fs, dir, mode: .repair)
                #expect(r.records == expected, "k=\(k): \(r.seqs.count) records, expected \(complete)")
                #expect(r.report.lastSeq == UInt64(complete))
                if boundary {
                    #expect(r.report.tornTail == nil, "k=\(k)")
                    #expect(try fs.readFile(at: path) == Array(bytes[..<k]))
                } else {
                    let torn = try #require(r.report.tornTail, "k=\(k)")
                    #expect(torn.offset == cut && torn.length == k - cut && torn.segment == segment, "k=\(k)")
                    let keptAs = segment + ".broken-\(cut)"
                    #expect(torn.keptAs == keptAs)
                    #expect(try fs.readFile(at: dir + "/" + keptAs) == Array(bytes[cut..<k]), "k=\(k)")
                    if cut == 0 {
                        // Not even a header: the segment is removed.
                        #expect(!fs.exists(path), "k=\(k)")
                        #expect(r.report.segments.isEmpty)
                    } else {
                        #expect(try fs.readFile(at: path) == Array(bytes[..<cut]), "k=\(k)")
                        #expect(r.report.segments.last?.size == cut)
                    }
                }

                // A second recovery is clean and returns the same records.
                let again = try recover(fs, dir, mode: .repair)
                #expect(again.report.tornTail == nil, "k=\(k): second recovery found a torn tail")
                #expect(again.records == expected)

                removeTree(dir)
            }
        }
    }

    @Test("a journal reopened after a repaired tear continues cleanly")
    func reopenAfterTear() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { root in
            let dir = root + "/j"
            let (journal, _) = try openJournal(fs, dir)
            for i in 1...5 { try await journal.append(makeRecord(i, size: 40)) }
            await journal.close()
            let segment = dir + "/" + (try requireSegments(fs, dir)[0])
            let bytes = try fs.readFile(at: segment)
            try overwrite(fs, segment, with: Array(bytes.dropLast(7)))

            let (reopened, recovered) = try openJournal(fs, dir)
            #expect(recovered.seqs == [1, 2, 3, 4])
            #expect(try await reopened.append(makeRecord(50, size: 40)) == 5)
            await reopened.close()
            let r = try recover(fs, dir)
            #expect(r.seqs == [1, 2, 3, 4, 5])
            #expect(r.records.last?.rec == makeRecord(50, size: 40))
            #expect(r.report.tornTail == nil)
        }
    }
}

extension Collection {
    /// The single element, or nil when there are zero or several.
    var only: Element? { count == 1 ? first : nil }
}
