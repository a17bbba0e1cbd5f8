/// Appends compact binary values (LEB128 varints, length-prefixed UTF-8) for snapshot payloads.
public struct BinaryWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public mutating func write(_ v: UInt64) {
        var v = v
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    public mutating func write(_ v: Int64) { write(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }
    public mutating func write(_ v: Int) { write(Int64(v)) }
    public mutating func write(_ v: Bool) { bytes.append(v ? 1 : 0) }
    public mutating func write(_ v: UInt8) { bytes.append(v) }

    public mutating func write(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            write(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Writes nil as 0, a string as 1 + the string.
    public mutating func write(_ s: String?) {
        if let s { bytes.append(1); write(s) } else { bytes.append(0) }
    }

    public mutating func write(_ v: Int64?) {
        if let v { bytes.append(1); write(v) } else { bytes.append(0) }
    }

    public mutating func write<Bytes: Collection<UInt8>>(bytes raw: Bytes) {
        write(UInt64(raw.count))
        bytes.append(contentsOf: raw)
    }
}
