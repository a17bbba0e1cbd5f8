/// Objects, arrays, keys and the end of the document.
extension FastJSONReader {
    /// Advances past JSON whitespace (space, tab, line feed, carriage return).
    @inlinable @inline(__always)
    public mutating func skipWhitespace() {
        while i < count {
            let c = base[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    /// The next byte after whitespace (not consumed), or nil at the end of the input.
    @inlinable @inline(__always)
    public mutating func peek() -> UInt8? {
        skipWhitespace()
        return i < count ? base[i] : nil
    }

    /// Checks that nothing but whitespace is left.
    @inlinable
    public mutating func expectEnd() throws(Fallback) {
        skipWhitespace()
        if i != count { throw Fallback() }
    }

    /// Consumes the `{` that opens an object.
    @inlinable
    public mutating func beginObject() throws(Fallback) {
        guard peek() == UInt8(ascii: "{") else { throw Fallback() }
        i += 1
        depth += 1
        if depth > Self.maxDepth { throw Fallback() }
    }

    /// Consumes the `[` that opens an array.
    @inlinable
    public mutating func beginArray() throws(Fallback) {
        guard peek() == UInt8(ascii: "[") else { throw Fallback() }
        i += 1
        depth += 1
        if depth > Self.maxDepth { throw Fallback() }
    }

    /// The next key of the open object (its bytes, without quotes), positioned at its value;
    /// nil at the closing brace, which it consumes. `first` starts true for each object.
    @inlinable @inline(__always)
    public mutating func nextKey(_ first: inout Bool) throws(Fallback) -> UnsafeBufferPointer<UInt8>? {
        guard let c = peek() else { throw Fallback() }
        if c == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            first = false
            return nil
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw Fallback() }
            i += 1
            skipWhitespace()
        }
        first = false
        guard i < count, base[i] == UInt8(ascii: "\"") else { throw Fallback() }
        i += 1
        let start = i
        while i < count {
            skipPlainStringBytes()
            guard i < count else { break }
            let b = base[i]
            if b == UInt8(ascii: "\"") { break }
            // Escaped or control characters in a key: let JSONDecoder decide.
            if b == UInt8(ascii: "\\") || b < 0x20 { throw Fallback() }
            i += 1
        }
        guard i < count else { throw Fallback() }
        let key = UnsafeBufferPointer(start: base + start, count: i - start)
        i += 1
        guard peek() == UInt8(ascii: ":") else { throw Fallback() }
        i += 1
        skipWhitespace()
        return key
    }

    /// Whether another element of the open array follows (positioned at it); false at the
    /// closing bracket, which it consumes. `first` starts true for each array.
    @inlinable @inline(__always)
    public mutating func nextElement(_ first: inout Bool) throws(Fallback) -> Bool {
        guard let c = peek() else { throw Fallback() }
        if c == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            first = false
            return false
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw Fallback() }
            i += 1
            skipWhitespace()
        }
        first = false
        return true
    }

    /// Whether `key` (from ``nextKey(_:)``) is exactly `literal`.
    @inlinable @inline(__always)
    public func matches(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { lit in
            guard lit.count == key.count else { return false }
            for k in 0..<lit.count where lit[k] != key[k] { return false }
            return true
        }
    }
}
