import Synchronization

/// Request ids for the answers ``WebhookChannelHandler`` gives without the router: in the shape
/// of Hummingbird's `RequestID` (a random 64-bit value for the process, then a counter started at
/// a random value: 32 hex digits), written straight into the string.
final class RequestIDs: Sendable {
    let high: UInt64
    let counter: Atomic<UInt64>

    init() {
        var random = SystemRandomNumberGenerator()
        high = random.next()
        counter = Atomic(random.next())
    }

    /// A new id.
    func next() -> String {
        let low = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return String(unsafeUninitializedCapacity: 32) { buffer in
            Self.hex(high, into: buffer, at: 0)
            Self.hex(low, into: buffer, at: 16)
            return 32
        }
    }

    /// `value` as 16 lower-case hex digits at `offset`.
    static func hex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for k in 0..<16 {
            let nibble = UInt8((value >> UInt64(60 - 4 * k)) & 0xF)
            buffer[offset + k] = nibble < 10 ? 0x30 + nibble : 0x57 + nibble
        }
    }
}

extension RequestIDs {
    /// `value` as 16 hex digits (for tests and logs).
    static func hexDigits(_ value: UInt64) -> String {
        String(unsafeUninitializedCapacity: 16) { buffer in
            hex(value, into: buffer, at: 0)
            return 16
        }
    }
}
