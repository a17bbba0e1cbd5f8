extension TextArena {
    /// Builds one record's payload.
    struct Writer {
        var bytes: [UInt8] = []

        /// Empties the payload, keeping its buffer for the next record.
        mutating func reset() { bytes.removeAll(keepingCapacity: true) }

        static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        mutating func varint(_ value: UInt64) { Self.appendVarint(value, to: &bytes) }

        mutating func int64(_ value: Int64) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }

        mutating func byte(_ value: UInt8) { bytes.append(value) }

        mutating func string(_ s: String?) {
            guard var s else { return bytes.append(0) }
            s.withUTF8 { utf8 in
                varint(UInt64(utf8.count) + 2)
                bytes.append(contentsOf: utf8)
            }
        }

        /// `s`, or the "same as" code when it equals `previous` (both present).
        mutating func string(_ s: String?, sameAs previous: String?) {
            if let s, let previous, s == previous { return bytes.append(1) }
            string(s)
        }
    }
}
