/// String values: read with their escapes resolved, or skipped.
extension FastJSONReader {
    /// A string value (positioned at its opening quote), unescaped.
    @inlinable
    public mutating func string() throws(Fallback) -> String {
        guard i < count, base[i] == UInt8(ascii: "\"") else { throw Fallback() }
        i += 1
        let start = i
        while i < count {
            skipPlainStringBytes()
            guard i < count else { break }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") {
                i = start
                return try escapedString()
            }
            if b < 0x20 { throw Fallback() }
            i += 1
        }
        throw Fallback()
    }

    /// The slow path of ``string()`` for strings with escapes (not inlined: it is rare).
    @usableFromInline
    mutating func escapedString() throws(Fallback) -> String {
        var bytes: [UInt8] = []
        while i < count {
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if b < 0x20 { throw Fallback() }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                i += 1
                continue
            }
            guard i + 1 < count else { throw Fallback() }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalarValue = try hex4()
                if (0xD800...0xDBFF).contains(scalarValue) {
                    guard count - i >= 6, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") else { throw Fallback() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw Fallback() }
                    scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalarValue) {
                    throw Fallback()
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { throw Fallback() }
                bytes.append(contentsOf: String(Character(scalar)).utf8)
            default:
                throw Fallback()
            }
        }
        throw Fallback()
    }

    /// The four hex digits of a `\u` escape.
    @inlinable
    mutating func hex4() throws(Fallback) -> UInt32 {
        guard count - i >= 4 else { throw Fallback() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Fallback()
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// Skips a string value (positioned at its opening quote), checking its escapes.
    @inlinable @inline(__always)
    mutating func skipString() throws(Fallback) {
        i += 1
        while i < count {
            skipPlainStringBytes()
            guard i < count else { break }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if b < 0x20 { throw Fallback() }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < count else { throw Fallback() }
                switch base[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    i += 2
                    _ = try hex4()
                default:
                    throw Fallback()
                }
                continue
            }
            i += 1
        }
        throw Fallback()
    }

    /// Advances past string bytes that need no attention (anything but `"`, `\\` and control
    /// characters), eight at a time; stops at the first byte that does (or within the last
    /// seven bytes of the input).
    @inlinable @inline(__always)
    mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while count - i >= 8 {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A zero byte in `quote` or `backslash`, or a byte below 0x20 in `word` (the classic
            // "has zero byte" test; a false hit only follows a true one, and just ends the run).
            let hits = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            let found = hits & highs
            if found != 0 {
                #if _endian(little)
                // The lowest hit is a true one (a false hit only sits above a true one, where
                // the borrow carried), and bytes load little-endian: it is the first such byte.
                i += found.trailingZeroBitCount >> 3
                #endif
                return
            }
            i += 8
        }
    }
}
