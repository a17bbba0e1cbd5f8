/// The framing of one journal line: `{"seq":N,"crc":"xxxxxxxx","rec":<rec>}\n`.
///
/// The CRC-32 covers the exact bytes of `rec` as written, so a reader checks it by slicing
/// those bytes out between the fixed prefix and the final `}`; no JSON is re-encoded.
public enum RecordFrame {
    static let seqPrefix = Array(#"{"seq":"#.utf8)
    static let crcPrefix = Array(#","crc":""#.utf8)
    static let recPrefix = Array(#"","rec":"#.utf8)
    static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends the framed line for `rec` with sequence number `seq` to `buffer`.
    public static func encode(seq: UInt64, rec: [UInt8], into buffer: inout [UInt8]) {
        buffer.append(contentsOf: seqPrefix)
        appendDecimal(seq, to: &buffer)
        buffer.append(contentsOf: crcPrefix)
        let crc = CRC32.checksum(rec)
        for shift in stride(from: 28, through: 0, by: -4) {
            buffer.append(hexDigits[Int((crc >> UInt32(shift)) & 0xF)])
        }
        buffer.append(contentsOf: recPrefix)
        buffer.append(contentsOf: rec)
        buffer.append(UInt8(ascii: "}"))
        buffer.append(UInt8(ascii: "\n"))
    }

    static func appendDecimal(_ value: UInt64, to buffer: inout [UInt8]) {
        if value == 0 { buffer.append(UInt8(ascii: "0")); return }
        var digits: [UInt8] = []
        var v = value
        while v > 0 { digits.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 }
        buffer.append(contentsOf: digits.reversed())
    }

    /// A decoded line: its sequence number and the range of `rec` in the buffer.
    public struct Decoded: Sendable {
        public let seq: UInt64
        public let rec: Range<Int>
    }

    /// Why a line does not decode.
    public enum Failure: Error, Sendable {
        /// The line has no terminating newline (the file ends inside it).
        case incomplete
        /// The line is complete but its framing or checksum is wrong.
        case invalid(String)
    }

    /// Decodes the line that starts at `start` and ends just before `newline` (the index of `\n`).
    public static func decode(_ bytes: UnsafeRawBufferPointer, start: Int, newline: Int) -> Result<Decoded, Failure> {
        var i = start
        func expect(_ literal: [UInt8]) -> Bool {
            guard newline - i >= literal.count else { return false }
            for b in literal {
                if bytes[i] != b { return false }
                i += 1
            }
            return true
        }
        guard expect(seqPrefix) else { return .failure(.invalid("bad prefix")) }
        var seq: UInt64 = 0
        var digits = 0
        while i < newline, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (m, o1) = seq.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(bytes[i] - 0x30))
            if o1 || o2 { return .failure(.invalid("seq overflow")) }
            seq = a
            i += 1
            digits += 1
        }
        guard digits > 0 else { return .failure(.invalid("no seq")) }
        guard expect(crcPrefix) else { return .failure(.invalid("bad crc field")) }
        guard newline - i >= 8 else { return .failure(.invalid("short crc")) }
        var crc: UInt32 = 0
        for _ in 0..<8 {
            let c = bytes[i]
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            default: return .failure(.invalid("bad crc digit"))
            }
            crc = crc << 4 | UInt32(v)
            i += 1
        }
        guard expect(recPrefix) else { return .failure(.invalid("bad rec field")) }
        guard newline - 1 > i, bytes[newline - 1] == UInt8(ascii: "}") else { return .failure(.invalid("bad end")) }
        let rec = i..<(newline - 1)
        let actual = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[rec]))
        guard actual == crc else { return .failure(.invalid("checksum mismatch")) }
        return .success(Decoded(seq: seq, rec: rec))
    }
}
