import ApplianceStorage
import Testing

/// An independent bitwise CRC-32 (IEEE, reflected, poly 0xEDB88320), to check the engine's.
private func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func hex8(_ v: UInt32) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: 8 - s.count) + s
}

private func encodeLine(seq: UInt64, rec: [UInt8]) -> [UInt8] {
    var line: [UInt8] = []
    RecordFrame.encode(seq: seq, rec: rec, into: &line)
    return line
}

/// Decodes a whole encoded line (ending in `\n`).
private func decodeLine(_ line: [UInt8]) -> Result<(seq: UInt64, rec: [UInt8]), RecordFrame.Failure> {
    line.withUnsafeBytes { raw in
        guard let newline = raw.firstIndex(of: 0x0A) else { return .failure(.incomplete) }
        return RecordFrame.decode(raw, start: 0, newline: newline).map { ($0.seq, Array(raw[$0.rec])) }
    }
}

private func isInvalid(_ r: Result<(seq: UInt64, rec: [UInt8]), RecordFrame.Failure>) -> Bool {
    if case .failure(.invalid) = r { return true }
    return false
}

@Suite("RecordFrame")
struct RecordFrameTests {
    static let samples: [[UInt8]] = [
        Array(#"{}"#.utf8),
        Array(#"{"a":1}"#.utf8),
        Array(#"{"a": 1,   "b" : "x}y{", "c":[1,2,{"d":null}]}"#.utf8),
        Array(#"{"text":"héllo wörld ✓ \"quoted\" \\ back\tslash"}"#.utf8),
        Array(#"{"crc":"deadbeef","seq":99,"rec":}"#.utf8),
        makeRecord(7, size: 10_000),
    ]

    @Test("encode/decode round trip", arguments: samples.indices, [UInt64(0), 1, 42, 1_000_000_007, UInt64.max])
    func roundTrip(sample: Int, seq: UInt64) throws {
        let rec = Self.samples[sample]
        let line = encodeLine(seq: seq, rec: rec)
        #expect(line.last == 0x0A)
        #expect(line.filter { $0 == 0x0A }.count == 1)
        #expect(line.starts(with: Array(#"{"seq":\#(seq),"crc":""#.utf8)))
        let decoded = try decodeLine(line).get()
        #expect(decoded.seq == seq)
        #expect(decoded.rec == rec)
    }

    @Test("encode appends to a buffer and decode finds each line in place")
    func encodeAppendsAndDecodesInPlace() throws {
        var buffer: [UInt8] = Array("prefix\n".utf8)
        for (i, rec) in Self.samples.enumerated() { RecordFrame.encode(seq: UInt64(i + 1), rec: rec, into: &buffer) }
        try buffer.withUnsafeBytes { raw in
            var start = 7
            for (i, rec) in Self.samples.enumerated() {
                let newline = try #require(raw[start...].firstIndex(of: 0x0A))
                let decoded = try RecordFrame.decode(raw, start: start, newline: newline).get()
                #expect(decoded.seq == UInt64(i + 1))
                #expect(Array(raw[decoded.rec]) == rec)
                start = newline + 1
            }
            #expect(start == raw.count)
        }
    }

    @Test("the CRC field is the CRC-32 of exactly the rec bytes")
    func crcCoversExactRecBytes() throws {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        for rec in Self.samples {
            let line = encodeLine(seq: 5, rec: rec)
            let prefix = Array(#"{"seq":5,"crc":""#.utf8)
            let field = String(decoding: line[prefix.count..<(prefix.count + 8)], as: UTF8.self)
            #expect(field == hex8(referenceCRC32(rec)))
            #expect(CRC32.checksum(rec) == referenceCRC32(rec))
            // The rec bytes sit verbatim between `"rec":` and the final `}`.
            let recStart = prefix.count + 8 + Array(#"","rec":"#.utf8).count
            #expect(Array(line[recStart..<(line.count - 2)]) == rec)
        }
        // Same JSON value, different bytes: different checksums, and neither verifies the other.
        let compact = Array(#"{"a":1}"#.utf8), spaced = Array(#"{"a": 1}"#.utf8)
        #expect(CRC32.checksum(compact) != CRC32.checksum(spaced))
        let compactLine = encodeLine(seq: 1, rec: compact)
        let spacedCRC = hex8(CRC32.checksum(spaced))
        let forged = Array(#"{"seq":1,"crc":"\#(spacedCRC)","rec":{"a":1}}"#.utf8) + [0x0A]
        #expect(isInvalid(decodeLine(forged)))
        #expect((try? decodeLine(compactLine).get())?.rec == compact)
    }

    @Test("a flipped byte makes the line invalid (or, in the seq digits, a different seq)", arguments: [UInt8(0x01), 0x20, 0x80, 0xFF])
    func flippedByte(mask: UInt8) throws {
        let rec = Array(#"{"order":1234,"phone":"+49 170 1234567","items":[{"sku":"A-1","qty":2}]}"#.utf8)
        let seq: UInt64 = 31_337
        let line = encodeLine(seq: seq, rec: rec)
        let seqDigits = 7..<(7 + 5)
        for i in 0..<(line.count - 1) {
            var damaged = line
            damaged[i] ^= mask
            if damaged[i] == 0x0A { continue }  // turned into a line break: the reader sees two lines.
            let result = decodeLine(damaged)
            if seqDigits.contains(i), case .success(let d) = result {
                #expect(d.seq != seq, "byte \(i) flipped but the same seq decoded")
            } else {
                #expect(isInvalid(result), "byte \(i) flipped with \(mask) still decodes")
            }
        }
    }

    @Test("seq parsing: digits only, full UInt64 range, overflow refused")
    func seqParsing() throws {
        func line(_ seqField: String, rec: String = #"{"x":1}"#) -> [UInt8] {
            let crc = hex8(referenceCRC32(Array(rec.utf8)))
            return Array(#"{"seq":\#(seqField),"crc":"\#(crc)","rec":\#(rec)}"#.utf8) + [0x0A]
        }
        #expect(try decodeLine(line("0")).get().seq == 0)
        #expect(try decodeLine(line("9")).get().seq == 9)
        #expect(try decodeLine(line("0000000012")).get().seq == 12)
        #expect(try decodeLine(line("18446744073709551615")).get().seq == UInt64.max)
        for bad in ["18446744073709551616", "99999999999999999999999", "", "-1", "+1", " 1", "1 ", "1.0", "0x10", "\"1\""] {
            #expect(isInvalid(decodeLine(line(bad))), "seq field \(bad) accepted")
        }
        // Framing around it.
        let good = line("3")
        #expect(isInvalid(decodeLine(Array(good.dropFirst()))))
        #expect(isInvalid(decodeLine(Array(good.dropLast(2)) + [0x0A])))  // no closing brace
        #expect(isInvalid(decodeLine(Array(#"{"seq":3,"crc":"abc","rec":{}}"#.utf8) + [0x0A])))
        #expect(isInvalid(decodeLine(Array(#"{"seq":3,"crc":"ABCDEF01","rec":{}}"#.utf8) + [0x0A])))
        #expect(isInvalid(decodeLine(Array(#"{"seq":3,"crc":"00000000","rec":}"#.utf8) + [0x0A])))
        #expect(isInvalid(decodeLine([0x0A])))
    }

    @Test("Journal.enqueue refuses a record containing a newline, and an empty record")
    func enqueueRefusesUnframeableRecords() async throws {
        let fs = MemoryFileSystem()
        let (journal, _) = try openJournal(fs, "/j")
        for bad in [Array("{\"a\":\n1}".utf8), [0x0A], Array("{}\n".utf8), []] {
            let error = #expect(throws: StorageError.self) { try journal.enqueue(bad) }
            #expect(error?.code == .invalidRecord)
        }
        #expect(journal.lastSeq == 0)
        #expect(journal.failure == nil)
        // The journal still works and numbering was not disturbed.
        #expect(try await journal.append(Array(#"{"ok":true}"#.utf8)) == 1)
        await journal.close()
        let r = try recover(fs, "/j")
        #expect(r.records == [.init(seq: 1, rec: Array(#"{"ok":true}"#.utf8))])
        #expect(r.report.tornTail == nil)
    }
}
