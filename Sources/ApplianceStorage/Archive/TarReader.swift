/// Reads a ustar archive from a ``ByteSource`` entry by entry: ``next()`` gives the next
/// header, ``readContent(into:)`` streams its content (or ``readContent()`` returns it whole).
/// Content not read is skipped by the following ``next()``.
///
/// The end is the first all-zero block; anything but zeros after it is an error, so a damaged
/// or concatenated archive is not half-read silently.
public struct TarReader {
    let source: any ByteSource
    /// Content bytes of the current entry not yet read, and its padding.
    var remaining: UInt64 = 0
    var padding = 0
    var ended = false
    /// The current entry's header.
    public private(set) var current: TarHeader?

    public init(source: any ByteSource) {
        self.source = source
    }

    /// The next entry's header, or nil at the end of the archive.
    public mutating func next() throws -> TarHeader? {
        if ended { return nil }
        try skipRest()
        let block = try source.read(upTo: TarHeader.blockSize)
        if block.isEmpty { throw ArchiveError(.truncated, "the archive ends without its end-of-archive marker") }
        guard let header = try TarHeader.decode(block) else {
            ended = true
            current = nil
            try expectOnlyZeros()
            return nil
        }
        current = header
        remaining = header.size
        padding = TarHeader.padding(after: header.size)
        return header
    }

    /// Reads up to `buffer.count` bytes of the current entry's content; 0 once it is all read.
    public mutating func readContent(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { return 0 }
        let want = Int(min(UInt64(buffer.count), remaining))
        let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        if n == 0 { throw ArchiveError(.truncated, "\(current?.name ?? "an entry") is cut short") }
        remaining -= UInt64(n)
        return n
    }

    /// The current entry's whole content (refused above `limit` bytes).
    public mutating func readContent(limit: Int = 64 << 20) throws -> [UInt8] {
        guard remaining <= UInt64(limit) else {
            throw ArchiveError(.sizeMismatch, "\(current?.name ?? "an entry") is larger than \(limit) bytes")
        }
        let out = try source.read(upTo: Int(remaining))
        guard out.count == Int(remaining) else { throw ArchiveError(.truncated, "\(current?.name ?? "an entry") is cut short") }
        remaining = 0
        return out
    }

    mutating func skipRest() throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while remaining > 0 {
            _ = try buffer.withUnsafeMutableBytes { try readContent(into: $0) }
        }
        if padding > 0 {
            let pad = try source.read(upTo: padding)
            guard pad.count == padding else { throw ArchiveError(.truncated, "the archive is cut short") }
            padding = 0
        }
    }

    /// After the end marker only zero bytes may follow (tar pads archives to a record size).
    mutating func expectOnlyZeros() throws {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { return }
            guard buffer[0..<n].allSatisfy({ $0 == 0 }) else {
                throw ArchiveError(.tarFormat, "data follows the end-of-archive marker")
            }
        }
    }
}
