/// The on-disk form of a snapshot: a header, the caller's payload (any format chosen for load
/// speed) and a trailer holding the byte count and a CRC-32 of everything before it.
///
/// Layout: `"SWSNAP01"`, seq (UInt64 LE), payload length (UInt64 LE), payload,
/// then the trailer: length of header + payload (UInt64 LE), CRC-32 (UInt32 LE), `"SNAPEND1"`.
public enum SnapshotFile {
    static let magic = Array("SWSNAP01".utf8)
    static let trailerMagic = Array("SNAPEND1".utf8)
    static let headerSize = 24
    static let trailerSize = 20

    /// Builds the file bytes for a snapshot of state at `seq`.
    public static func encode(seq: UInt64, payload: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(headerSize + payload.count + trailerSize)
        out += magic
        appendLE(seq, to: &out)
        appendLE(UInt64(payload.count), to: &out)
        out += payload
        let crc = CRC32.checksum(out)
        appendLE(UInt64(out.count), to: &out)
        appendLE(UInt64(crc), to: &out, bytes: 4)
        out += trailerMagic
        return out
    }

    /// Verifies `bytes` and returns the snapshot's seq and the payload's range in `bytes`.
    public static func decode(_ bytes: [UInt8]) -> Result<(seq: UInt64, payload: Range<Int>), StorageError> {
        func bad(_ why: String) -> Result<(seq: UInt64, payload: Range<Int>), StorageError> {
            .failure(StorageError(.badSnapshot, why))
        }
        guard bytes.count >= headerSize + trailerSize else { return bad("too short") }
        guard Array(bytes[0..<8]) == magic else { return bad("bad magic") }
        guard Array(bytes[(bytes.count - 8)...]) == trailerMagic else { return bad("no trailer") }
        let seq = readLE(bytes, at: 8, bytes: 8)
        // Compared as UInt64: a damaged length field may not fit in an Int (Int(_:) would trap).
        let length = readLE(bytes, at: 16, bytes: 8)
        let body = bytes.count - trailerSize
        guard length == UInt64(body - headerSize) else { return bad("length mismatch") }
        guard readLE(bytes, at: body, bytes: 8) == UInt64(body) else { return bad("trailer length mismatch") }
        let crc = UInt32(readLE(bytes, at: body + 8, bytes: 4))
        guard CRC32.checksum(bytes[0..<body]) == crc else { return bad("checksum mismatch") }
        return .success((seq, headerSize..<body))
    }

    static func appendLE(_ value: UInt64, to out: inout [UInt8], bytes: Int = 8) {
        for i in 0..<bytes { out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
    }

    static func readLE(_ bytes: [UInt8], at offset: Int, bytes count: Int) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<count { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        return v
    }
}
