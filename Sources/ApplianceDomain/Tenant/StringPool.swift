import Foundation

/// Shares one copy of equal strings among the orders loaded at boot.
///
/// A Swift string of more than 15 UTF-8 bytes is a heap allocation of its own (about 64 bytes
/// with malloc's overhead). Orders repeat some such texts over and over: delivery slots
/// ("2025-05-02 14:00-16:00") and message errors ("test order: not messaged"). Decoding gives
/// each order its own copy; interning them while loading a tenant keeps one. Only byte-for-byte
/// identical strings are shared, so no value changes; only memory does. (Names and emails are
/// left alone: mostly unique, they would cost hashing for little.)
///
/// Keyed by a 64-bit FNV-1a hash of the UTF-8 bytes rather than by `String` (whose hashing is
/// Unicode-aware and several times slower); on a hash collision the string simply keeps its
/// own copy. Small strings (stored inline) are returned as they are, without hashing.
struct StringPool {
    private var byHash: [UInt64: String] = [:]

    mutating func intern(_ s: String) -> String {
        guard s.utf8.count > 15 else { return s }
        // Native strings are contiguous UTF-8; anything else keeps its own copy.
        guard let hash = s.utf8.withContiguousStorageIfAvailable(Self.fnv1a) else { return s }
        if let existing = byHash[hash] {
            return Self.sameBytes(existing, s) ? existing : s
        }
        byHash[hash] = s
        return s
    }

    static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            } ?? false
        } ?? false
    }

    mutating func intern(_ s: String?) -> String? {
        guard let s else { return nil }
        return intern(s)
    }

    /// `order` with its repeated texts shared.
    mutating func intern(_ order: Order) -> Order {
        var o = order
        o.slot = intern(o.slot)
        o.message.lastError = intern(o.message.lastError)
        return o
    }
}
