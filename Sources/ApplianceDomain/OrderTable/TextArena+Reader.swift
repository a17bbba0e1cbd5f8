extension TextArena {
    /// Reads one record's payload, in the order it was written.
    struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        var position = 0

        init(buffer: UnsafeBufferPointer<UInt8>) {
            self.buffer = buffer
        }

        static func varint(_ buffer: UnsafeBufferPointer<UInt8>, _ position: inout Int) -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = buffer[position]
                position += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        mutating func varint() -> UInt64 { Self.varint(buffer, &position) }

        mutating func int64() -> Int64 {
            var raw: UInt64 = 0
            for i in 0..<8 { raw |= UInt64(buffer[position + i]) << (8 * UInt64(i)) }
            position += 8
            return Int64(bitPattern: raw)
        }

        mutating func byte() -> UInt8 {
            defer { position += 1 }
            return buffer[position]
        }

        /// One string field as written: absent, "same as a previous field", or its bytes in place.
        enum Field {
            case absent
            case same
            case bytes(UnsafeBufferPointer<UInt8>)
        }

        mutating func field() -> Field {
            let code = Int(varint())
            switch code {
            case 0: return .absent
            case 1: return .same
            default:
                let length = code - 2
                defer { position += length }
                return .bytes(UnsafeBufferPointer(rebasing: buffer[position..<position + length]))
            }
        }

        /// A string field; the "same as" code gives `previous`.
        mutating func string(sameAs previous: String? = nil) -> String? {
            switch field() {
            case .absent: return nil
            case .same: return previous
            case .bytes(let b): return String(decoding: b, as: UTF8.self)
            }
        }

        /// A string field's UTF-8 bytes in place (valid while the arena is read).
        mutating func bytes(sameAs previous: UnsafeBufferPointer<UInt8>? = nil) -> UnsafeBufferPointer<UInt8>? {
            switch field() {
            case .absent: return nil
            case .same: return previous
            case .bytes(let b): return b
            }
        }

        /// A string field that is never nil in the model (written from a non-optional).
        mutating func text() -> String { string() ?? "" }
    }
}
