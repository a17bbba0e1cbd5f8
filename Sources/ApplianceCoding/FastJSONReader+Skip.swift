/// Values the caller does not want: consumed, and still checked to be valid JSON.
extension FastJSONReader {
    /// Skips any value, checking it is valid JSON.
    ///
    /// One loop with the open containers as bits of a word (``maxDepth`` is 64), not a call per
    /// nested value: an order body is mostly values nobody reads (price sets, tax lines, line
    /// item details), so this loop is where most of its bytes are looked at.
    @inlinable
    public mutating func skipValue() throws(Fallback) {
        // Bit `level - 1` set: that open container is an object.
        var objects: UInt64 = 0
        var level = 0
        while true {
            // A value starts here.
            skipWhitespace()
            guard i < count else { throw Fallback() }
            switch base[i] {
            case UInt8(ascii: "\""):
                try skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                let isObject = base[i] == UInt8(ascii: "{")
                i += 1
                depth += 1
                if depth > Self.maxDepth { throw Fallback() }
                skipWhitespace()
                guard i < count else { throw Fallback() }
                if base[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    depth -= 1
                    break
                }
                if isObject {
                    objects |= 1 << UInt64(level)
                    try skipKeyAndColon()
                } else {
                    objects &= ~(1 << UInt64(level))
                }
                level += 1
                continue
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            default: try skipNumber()
            }
            // A value ended: a comma leads to the next one, a closing bracket ends its container.
            while true {
                if level == 0 { return }
                skipWhitespace()
                guard i < count else { throw Fallback() }
                let c = base[i]
                let inObject = objects & (1 << UInt64(level - 1)) != 0
                if c == UInt8(ascii: ",") {
                    i += 1
                    if inObject {
                        skipWhitespace()
                        try skipKeyAndColon()
                    }
                    break
                }
                guard c == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) else { throw Fallback() }
                i += 1
                depth -= 1
                level -= 1
            }
        }
    }

    /// A key of an object being skipped and its colon (any valid string: the key is not read).
    @inlinable
    mutating func skipKeyAndColon() throws(Fallback) {
        guard i < count, base[i] == UInt8(ascii: "\"") else { throw Fallback() }
        try skipString()
        skipWhitespace()
        guard i < count, base[i] == UInt8(ascii: ":") else { throw Fallback() }
        i += 1
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
