/// Reads what ``BinaryWriter`` wrote; every read is bounds-checked and throws on bad input.
public struct BinaryReader {
    /// The input ran out or holds an impossible value.
    public struct Malformed: Error, Sendable { public init() {} }

    let bytes: ArraySlice<UInt8>
    var index: Int

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    public var isAtEnd: Bool { index >= bytes.endIndex }

    /// Bytes not read yet.
    public var remaining: Int { bytes.endIndex - index }

    public mutating func readUInt64() throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard index < bytes.endIndex, shift < 64 else { throw Malformed() }
            let b = bytes[index]
            index += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    public mutating func readInt64() throws -> Int64 {
        let u = try readUInt64()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    public mutating func readInt() throws -> Int { Int(try readInt64()) }

    public mutating func readByte() throws -> UInt8 {
        guard index < bytes.endIndex else { throw Malformed() }
        defer { index += 1 }
        return bytes[index]
    }

    public mutating func readBool() throws -> Bool { try readByte() != 0 }

    public mutating func readString() throws -> String {
        // Int(exactly:): a damaged length above Int.max must throw, not trap.
        guard let count = Int(exactly: try readUInt64()), bytes.endIndex - index >= count else { throw Malformed() }
        defer { index += count }
        return bytes[index..<(index + count)].withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    public mutating func readOptionalString() throws -> String? {
        try readByte() == 0 ? nil : try readString()
    }

    public mutating func readOptionalInt64() throws -> Int64? {
        try readByte() == 0 ? nil : try readInt64()
    }

    public mutating func readBytes() throws -> ArraySlice<UInt8> {
        // Int(exactly:): a damaged length above Int.max must throw, not trap.
        guard let count = Int(exactly: try readUInt64()), bytes.endIndex - index >= count else { throw Malformed() }
        defer { index += count }
        return bytes[index..<(index + count)]
    }
}
