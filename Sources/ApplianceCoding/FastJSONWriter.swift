/// Appends JSON to a byte array without `Encoder` machinery: objects are written key by key,
/// strings escaped as RFC 8259 requires (quote, backslash and control characters; everything
/// else, including non-ASCII, is copied as UTF-8).
///
/// Used for the journal's hot record (`order`, one per webhook), where `JSONEncoder`'s generic
/// machinery would be a large share of the cost. What it writes decodes with `JSONDecoder` to the same value. The
/// caller writes well-formed JSON (a key before each member, balanced begins and ends); the
/// writer only puts the commas in. Its methods are `@inlinable`, for writers in other modules.
@frozen
public struct FastJSONWriter {
    @usableFromInline var buffer: [UInt8]
    @usableFromInline var needsComma = false

    /// The JSON written so far.
    @inlinable
    public var bytes: [UInt8] { buffer }

    /// An empty writer with room for `capacity` bytes.
    @inlinable
    public init(capacity: Int = 512) {
        buffer = []
        buffer.reserveCapacity(capacity)
    }

    /// Writes `{`.
    @inlinable
    public mutating func beginObject() {
        separate()
        buffer.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    @inlinable
    public mutating func endObject() {
        buffer.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`.
    @inlinable
    public mutating func beginArray() {
        separate()
        buffer.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    @inlinable
    public mutating func endArray() {
        buffer.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"name":` (keys are plain ASCII literals, written unescaped).
    @inlinable
    public mutating func key(_ name: StaticString) {
        separate()
        buffer.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(UInt8(ascii: "\""))
        buffer.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string, escaped.
    @inlinable
    public mutating func string(_ value: String) {
        separate()
        buffer.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (i, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i]))
                escape(byte)
                start = i + 1
            }
            buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        buffer.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes an integer.
    @inlinable
    public mutating func int(_ value: Int64) {
        separate()
        if value < 0 {
            buffer.append(UInt8(ascii: "-"))
            unsigned(value.magnitude)
        } else {
            unsigned(UInt64(value))
        }
        needsComma = true
    }

    /// Writes an unsigned integer.
    @inlinable
    public mutating func uint(_ value: UInt64) {
        separate()
        unsigned(value)
        needsComma = true
    }

    /// Writes `true` or `false`.
    @inlinable
    public mutating func bool(_ value: Bool) {
        separate()
        let literal: StaticString = value ? "true" : "false"
        literal.withUTF8Buffer { buffer.append(contentsOf: $0) }
        needsComma = true
    }

    /// Writes `json`, a complete JSON value the caller made (e.g. with `JSONEncoder`), as it is.
    @inlinable
    public mutating func raw(_ json: [UInt8]) {
        separate()
        buffer.append(contentsOf: json)
        needsComma = true
    }

    // MARK: - Optional members (omitted when nil, as `encodeIfPresent` does)

    /// Writes `"name":"value"`, or nothing when `value` is nil.
    @inlinable
    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    /// Writes `"name":value`, or nothing when `value` is nil.
    @inlinable
    public mutating func member(_ name: StaticString, _ value: Int64?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    // MARK: - Internal

    @inlinable
    mutating func separate() {
        if needsComma { buffer.append(UInt8(ascii: ",")) }
    }

    @inlinable
    mutating func unsigned(_ value: UInt64) {
        if value < 10 {
            buffer.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 bytes: enough for 20 digits
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { scratch in
            while rest > 0 {
                scratch[31 - count] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
                count += 1
            }
            buffer.append(contentsOf: scratch[(32 - count)...])
        }
    }

    /// The escape of a quote, backslash or control character (not inlined: it is rare).
    @usableFromInline
    mutating func escape(_ byte: UInt8) {
        buffer.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): buffer.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\"))
        case 0x0A: buffer.append(UInt8(ascii: "n"))
        case 0x0D: buffer.append(UInt8(ascii: "r"))
        case 0x09: buffer.append(UInt8(ascii: "t"))
        case 0x08: buffer.append(UInt8(ascii: "b"))
        case 0x0C: buffer.append(UInt8(ascii: "f"))
        default:
            buffer.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)
}
