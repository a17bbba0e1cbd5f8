import ApplianceStorage
import Testing

@Suite("SnapshotFile")
struct SnapshotFileTests {
    @Test("encode/decode round trip", arguments: [0, 1, 5, 5000])
    func roundTrip(payloadSize: Int) throws {
        let payload = pseudoRandomBytes(payloadSize, seed: 17)
        for seq in [UInt64(0), 1, 12_345, UInt64.max] {
            let bytes = SnapshotFile.encode(seq: seq, payload: payload)
            #expect(bytes.count == 24 + payload.count + 20)
            let decoded = try SnapshotFile.decode(bytes).get()
            #expect(decoded.seq == seq)
            #expect(Array(bytes[decoded.payload]) == payload)
        }
    }

    @Test("every truncation is rejected")
    func truncated() {
        let bytes = SnapshotFile.encode(seq: 77, payload: pseudoRandomBytes(300, seed: 1))
        for k in 0..<bytes.count {
            let result = SnapshotFile.decode(Array(bytes[..<k]))
            guard case .failure(let error) = result else {
                Issue.record("prefix of \(k) bytes accepted")
                continue
            }
            #expect(error.code == .badSnapshot)
        }
        // Extra bytes after the trailer are rejected too.
        #expect((try? SnapshotFile.decode(bytes + [0]).get()) == nil)
    }

    @Test("every flipped byte is rejected", arguments: [UInt8(0x01), 0x10, 0x80, 0xFF])
    func flipped(mask: UInt8) {
        let bytes = SnapshotFile.encode(seq: 77, payload: pseudoRandomBytes(300, seed: 2))
        for i in bytes.indices {
            var bad = bytes
            bad[i] ^= mask
            guard case .failure(let error) = SnapshotFile.decode(bad) else {
                Issue.record("byte \(i) flipped with \(mask) accepted")
                continue
            }
            #expect(error.code == .badSnapshot)
        }
    }

    @Test("absurd lengths in the header or trailer are rejected, not trapped on")
    func absurdLengths() {
        let bytes = SnapshotFile.encode(seq: 1, payload: Array("payload".utf8))
        let body = bytes.count - 20
        for (offset, value) in [(16, UInt64.max), (16, UInt64(Int.max)), (16, UInt64(Int.max) - 10),
                                (body, UInt64.max), (body, 1 << 63)] {
            var bad = bytes
            for i in 0..<8 { bad[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(i))) }
            #expect((try? SnapshotFile.decode(bad).get()) == nil, "length \(value) at \(offset) accepted")
        }
    }

    @Test("a snapshot file whose seq differs from its name is treated as broken")
    func seqMismatchWithName() async throws {
        let fs = MemoryFileSystem()
        let (journal, _) = try openJournal(fs, "/s")
        for i in 1...4 { try await journal.append(makeRecord(i)) }
        await journal.close()
        try fs.writeAtomically(SnapshotFile.encode(seq: 3, payload: [1]), to: "/s/" + JournalFileName.snapshot(2))
        let r = try recover(fs, "/s")
        #expect(r.snapshot == nil)
        #expect(r.report.brokenSnapshots == [JournalFileName.snapshot(2)])
        #expect(r.seqs == [1, 2, 3, 4])
        #expect(fs.exists("/s/" + JournalFileName.snapshot(2) + ".broken"))
    }
}
