import Foundation

/// The texts of a tenant's orders, back to back in one byte array, so that a million stored
/// orders are not millions of separate string allocations (see ``OrderTable``).
///
/// A record is a varint byte length then its payload. Payloads are written with
/// ``TextArena/Writer`` and read with ``TextArena/Reader``: strings as a varint code (0 = nil,
/// 1 = "same as a previous field", n = n − 2 UTF-8 bytes follow), small numbers as varints,
/// timestamps as 8 raw bytes. A replaced record stays behind as garbage until ``OrderTable``
/// rewrites the arena.
struct TextArena: Sendable {
    private(set) var bytes: [UInt8] = []
    /// Bytes of records no row refers to any more.
    private(set) var garbage = 0

    /// Appends `payload` as a record, unless it equals the record at `old`; returns the
    /// offset to keep. The record at `old` (if replaced) is counted as garbage.
    mutating func store<Payload: Collection<UInt8>>(_ payload: Payload, replacing old: UInt32 = OrderRow.none) -> UInt32 {
        if old != OrderRow.none {
            let (start, length) = span(of: old)
            if length == payload.count && bytes[start..<start + length].elementsEqual(payload) { return old }
            garbage += start + length - Int(old)
        }
        precondition(bytes.count < Int(UInt32.max) - payload.count - 10, "a tenant's order texts exceed 4 GiB")
        let offset = UInt32(bytes.count)
        Writer.appendVarint(UInt64(payload.count), to: &bytes)
        bytes.append(contentsOf: payload)
        return offset
    }

    /// Counts the record at `offset` as garbage (its row is gone or no longer has it).
    mutating func release(_ offset: UInt32) {
        guard offset != OrderRow.none else { return }
        let (start, length) = span(of: offset)
        garbage += start + length - Int(offset)
    }

    /// Where the payload of the record at `offset` starts, and its length.
    func span(of offset: UInt32) -> (start: Int, length: Int) {
        var position = Int(offset)
        let length = bytes.withUnsafeBufferPointer { Reader.varint($0, &position) }
        return (position, Int(length))
    }

    /// Reads the record at `offset`.
    func read<T>(_ offset: UInt32, _ body: (inout Reader) -> T) -> T {
        bytes.withUnsafeBufferPointer { buffer in
            var position = Int(offset)
            let length = Int(Reader.varint(buffer, &position))
            var reader = Reader(buffer: UnsafeBufferPointer(rebasing: buffer[position..<position + length]))
            return body(&reader)
        }
    }

    /// The payload of the record at `offset`, to copy into another arena.
    func payload(_ offset: UInt32) -> ArraySlice<UInt8> {
        let (start, length) = span(of: offset)
        return bytes[start..<start + length]
    }

    mutating func reserveCapacity(_ n: Int) { bytes.reserveCapacity(n) }

    var capacity: Int { bytes.capacity }

    /// Reallocates the bytes to their size.
    mutating func releaseSpareCapacity() {
        guard bytes.capacity > bytes.count + bytes.count / 16 + 64 else { return }
        bytes = Array(unsafeUninitializedCapacity: bytes.count) { [bytes] buffer, initialized in
            _ = buffer.initialize(fromContentsOf: bytes)
            initialized = bytes.count
        }
    }
}
