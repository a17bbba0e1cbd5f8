/// Values the caller does not want: consumed, and still checked to be valid JSON.
extension FastJSONReader {
    /// Skips any value, checking it is valid JSON.
    @inlinable
    public mutating func skipValue() throws(Fallback) {
        guard let c = peek() else { throw Fallback() }
        switch c {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextKey(&first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(&first) { try skipValue() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    /// Skips any value (checked to be valid JSON) and returns its bytes, for a nested value the
    /// caller hands to another decoder.
    @inlinable
    public mutating func rawValue() throws(Fallback) -> UnsafeBufferPointer<UInt8> {
        skipWhitespace()
        let start = i
        try skipValue()
        return UnsafeBufferPointer(start: base + start, count: i - start)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    @inlinable
    mutating func skipNumber() throws(Fallback) {
        func digit(_ j: Int) -> Bool { j < count && base[j] >= 0x30 && base[j] <= 0x39 }
        if i < count, base[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { throw Fallback() }
        if base[i] == 0x30 {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < count, base[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw Fallback() }
            while digit(i) { i += 1 }
        }
        if i < count, base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") {
            i += 1
            if i < count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { throw Fallback() }
            while digit(i) { i += 1 }
        }
    }
}
