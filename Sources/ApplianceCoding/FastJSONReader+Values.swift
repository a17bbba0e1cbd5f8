/// Literals, booleans and integers.
extension FastJSONReader {
    /// Consumes `null` if it is next.
    @inlinable @inline(__always)
    public mutating func null() throws(Fallback) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Consumes exactly `text` (`true`, `false`, `null`) at the current position.
    @inlinable @inline(__always)
    public mutating func literal(_ text: StaticString) throws(Fallback) {
        let ok = text.withUTF8Buffer { lit -> Bool in
            guard count - i >= lit.count else { return false }
            for k in 0..<lit.count where base[i + k] != lit[k] { return false }
            return true
        }
        guard ok else { throw Fallback() }
        i += text.utf8CodeUnitCount
    }

    /// A string or `null`.
    @inlinable
    public mutating func optionalString() throws(Fallback) -> String? {
        if try null() { return nil }
        return try string()
    }

    /// `true`, `false` or `null`.
    @inlinable
    public mutating func optionalBool() throws(Fallback) -> Bool? {
        switch peek() {
        case UInt8(ascii: "n"): try literal("null"); return nil
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw Fallback()
        }
    }

    /// `true` or `false`.
    @inlinable
    public mutating func bool() throws(Fallback) -> Bool {
        guard let value = try optionalBool() else { throw Fallback() }
        return value
    }

    /// A string that is one of `E`'s raw values.
    @inlinable
    public mutating func enumValue<E: RawRepresentable>(_: E.Type) throws(Fallback) -> E where E.RawValue == String {
        guard let value = E(rawValue: try string()) else { throw Fallback() }
        return value
    }

    /// A plain JSON integer in UInt64's range.
    @inlinable
    public mutating func uint64() throws(Fallback) -> UInt64 {
        guard peek() != nil, let (negative, magnitude) = try plainInteger(), !negative else { throw Fallback() }
        return magnitude
    }

    /// A plain JSON integer in Int64's range.
    @inlinable
    public mutating func int64() throws(Fallback) -> Int64 {
        guard peek() != nil, let (negative, magnitude) = try plainInteger() else { throw Fallback() }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw Fallback() }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw Fallback() }
        return Int64(magnitude)
    }

    /// A JSON number that is a plain integer (no fraction or exponent) fitting UInt64 in
    /// magnitude, as its sign and magnitude; nil for any other number form (left unconsumed:
    /// the caller falls back). Positioned at the number (after whitespace).
    @inlinable
    public mutating func plainInteger() throws(Fallback) -> (negative: Bool, magnitude: UInt64)? {
        var j = i
        var negative = false
        if j < count, base[j] == UInt8(ascii: "-") {
            negative = true
            j += 1
        }
        guard j < count, base[j] >= 0x30, base[j] <= 0x39 else { throw Fallback() }
        if base[j] == 0x30, j + 1 < count, base[j + 1] >= 0x30, base[j + 1] <= 0x39 { throw Fallback() }
        var value: UInt64 = 0
        while j < count, base[j] >= 0x30, base[j] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(base[j] - 0x30))
            if o1 || o2 { return nil }
            value = a
            j += 1
        }
        if j < count, base[j] == UInt8(ascii: ".") || base[j] == UInt8(ascii: "e") || base[j] == UInt8(ascii: "E") { return nil }
        i = j
        return (negative, value)
    }
}
