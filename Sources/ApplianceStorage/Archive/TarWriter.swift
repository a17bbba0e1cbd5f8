/// Writes a ustar archive to a ``ByteSink``, one entry after another: a header block, the
/// content, zero padding to the block size; ``finish()`` adds the two zero blocks that end it.
///
/// ```swift
/// var tar = TarWriter(sink: gzip)
/// try tar.appendDirectory("data", mtime: now)
/// try tar.appendFile("data/format.json", contents: bytes, mtime: now)
/// try tar.finish()
/// ```
public struct TarWriter {
    let sink: any ByteSink
    /// The file being written: its name and how many of its announced bytes remain.
    var open: (name: String, remaining: UInt64, size: UInt64)?
    /// Bytes given to the sink so far.
    public private(set) var bytesWritten: UInt64 = 0
    /// Entries written so far.
    public private(set) var entries = 0

    static let zeros = [UInt8](repeating: 0, count: TarHeader.blockSize)

    public init(sink: any ByteSink) {
        self.sink = sink
    }

    /// Adds a directory entry (mode 0700 unless given).
    public mutating func appendDirectory(_ name: String, mtime: Int64, mode: UInt32 = 0o700, uid: UInt32 = 0, gid: UInt32 = 0) throws {
        try begin(TarHeader(name: name, kind: .directory, mode: mode, mtime: mtime, uid: uid, gid: gid))
    }

    /// Adds a whole file (mode 0600 unless given).
    public mutating func appendFile(_ name: String, contents: [UInt8], mtime: Int64, mode: UInt32 = 0o600, uid: UInt32 = 0, gid: UInt32 = 0) throws {
        try begin(TarHeader(name: name, kind: .file, mode: mode, size: UInt64(contents.count), mtime: mtime, uid: uid, gid: gid))
        try contents.withUnsafeBytes { try writeContent($0) }
        try endFile()
    }

    /// Writes the header of an entry; for a file, its `size` bytes must follow through
    /// ``writeContent(_:)`` and then ``endFile()``.
    public mutating func begin(_ header: TarHeader) throws {
        guard open == nil else { throw ArchiveError(.sizeMismatch, "\(open!.name): the previous file was not finished") }
        try put(header.encode())
        entries += 1
        if header.kind == .file { open = (header.name, header.size, header.size) }
    }

    /// Writes content of the file begun last; never more than its header announced.
    public mutating func writeContent(_ bytes: UnsafeRawBufferPointer) throws {
        if bytes.isEmpty { return }
        guard let current = open else { throw ArchiveError(.sizeMismatch, "content written outside a file entry") }
        guard UInt64(bytes.count) <= current.remaining else {
            throw ArchiveError(.sizeMismatch, "\(current.name): more content than the \(current.size) bytes announced")
        }
        try sink.write(bytes)
        bytesWritten += UInt64(bytes.count)
        open = (current.name, current.remaining - UInt64(bytes.count), current.size)
    }

    /// Ends the file begun last: checks that all its bytes came, then pads to the block size.
    public mutating func endFile() throws {
        guard let current = open else { return }
        guard current.remaining == 0 else {
            throw ArchiveError(.sizeMismatch, "\(current.name): \(current.remaining) of \(current.size) bytes are missing")
        }
        open = nil
        let padding = TarHeader.padding(after: current.size)
        if padding > 0 { try put(Array(Self.zeros[0..<padding])) }
    }

    /// Writes the end-of-archive marker (two zero blocks).
    public mutating func finish() throws {
        try endFile()
        try put(Self.zeros)
        try put(Self.zeros)
    }

    mutating func put(_ bytes: [UInt8]) throws {
        try sink.write(bytes)
        bytesWritten += UInt64(bytes.count)
    }
}
