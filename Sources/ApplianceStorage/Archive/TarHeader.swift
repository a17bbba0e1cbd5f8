/// One ustar header block (POSIX.1-1988 `ustar`, 512 bytes): the entry's name, kind, mode,
/// owner, size and modification time, with the header checksum.
///
/// Only regular files and directories exist here; ``decode(_:)`` refuses every other entry
/// type (links, devices, FIFOs, pax and GNU extension headers) as ``ArchiveError/Code/unsafeEntry``.
public struct TarHeader: Sendable, Equatable {
    /// What the entry is.
    public enum Kind: Sendable, Equatable {
        case file
        case directory
    }

    /// The block size of tar.
    public static let blockSize = 512

    /// The path inside the archive, without a trailing `/` (also for directories).
    public var name: String
    public var kind: Kind
    /// Permission bits (0600, 0700).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Content bytes (0 for a directory).
    public var size: UInt64
    /// Modification time, seconds since 1970.
    public var mtime: Int64

    public init(name: String, kind: Kind, mode: UInt32, size: UInt64 = 0, mtime: Int64, uid: UInt32 = 0, gid: UInt32 = 0) {
        self.name = name
        self.kind = kind
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.size = size
        self.mtime = mtime
    }

    /// The padding that follows `size` content bytes up to the next block boundary.
    public static func padding(after size: UInt64) -> Int {
        let rest = Int(size % UInt64(blockSize))
        return rest == 0 ? 0 : blockSize - rest
    }

    // MARK: - Encoding

    /// The 512-byte header block. Throws ``ArchiveError/Code/nameTooLong`` when the name does not fit.
    public func encode() throws -> [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        var fullName = Array(name.utf8)
        if kind == .directory { fullName.append(UInt8(ascii: "/")) }
        let (prefix, base) = try Self.split(fullName, name: name)
        Self.put(base, into: &block, at: 0, width: 100)
        Self.putOctal(UInt64(mode & 0o7777), into: &block, at: 100, width: 8)
        Self.putOctal(UInt64(uid), into: &block, at: 108, width: 8)
        Self.putOctal(UInt64(gid), into: &block, at: 116, width: 8)
        Self.putNumber(size, into: &block, at: 124, width: 12)
        Self.putNumber(UInt64(max(0, mtime)), into: &block, at: 136, width: 12)
        block[156] = kind == .directory ? UInt8(ascii: "5") : UInt8(ascii: "0")
        Self.put(Array("ustar".utf8), into: &block, at: 257, width: 6)
        Self.put(Array("00".utf8), into: &block, at: 263, width: 2)
        Self.putOctal(0, into: &block, at: 329, width: 8)
        Self.putOctal(0, into: &block, at: 337, width: 8)
        Self.put(prefix, into: &block, at: 345, width: 155)
        let sum = Self.checksum(block)
        // Six octal digits, NUL, space: the traditional form every tar accepts.
        Self.putOctal(UInt64(sum), into: &block, at: 148, width: 7)
        block[155] = UInt8(ascii: " ")
        return block
    }

    /// Splits a name into ustar's `prefix` (≤ 155 bytes) and `name` (≤ 100 bytes) at a `/`.
    static func split(_ full: [UInt8], name: String) throws -> (prefix: [UInt8], base: [UInt8]) {
        if full.count <= 100 { return ([], full) }
        // The prefix ends at a slash (not included); the rest must fit 100 bytes.
        var index = full.count - 1
        if full[index] == UInt8(ascii: "/") { index -= 1 }
        while index > 0 {
            if full[index] == UInt8(ascii: "/") {
                let prefix = Array(full[..<index]), base = Array(full[(index + 1)...])
                if base.count > 100 { break }
                if prefix.count <= 155, !base.isEmpty { return (prefix, base) }
            }
            index -= 1
        }
        throw ArchiveError(.nameTooLong, "\(name) does not fit a ustar header")
    }

    static func put(_ bytes: [UInt8], into block: inout [UInt8], at offset: Int, width: Int) {
        for (i, b) in bytes.prefix(width).enumerated() { block[offset + i] = b }
    }

    /// `width - 1` zero-padded octal digits and a NUL.
    static func putOctal(_ value: UInt64, into block: inout [UInt8], at offset: Int, width: Int) {
        var v = value
        for i in stride(from: width - 2, through: 0, by: -1) {
            block[offset + i] = UInt8(ascii: "0") + UInt8(v & 7)
            v >>= 3
        }
        block[offset + width - 1] = 0
    }

    /// Octal when it fits, else GNU base-256 (high bit set, big-endian), which GNU and BSD tar read.
    static func putNumber(_ value: UInt64, into block: inout [UInt8], at offset: Int, width: Int) {
        if value < (1 << (3 * UInt64(width - 1))) {
            putOctal(value, into: &block, at: offset, width: width)
            return
        }
        var v = value
        for i in stride(from: width - 1, through: 1, by: -1) {
            block[offset + i] = UInt8(truncatingIfNeeded: v)
            v >>= 8
        }
        block[offset] = 0x80
    }

    /// The sum of the header's bytes with the checksum field counted as eight spaces.
    static func checksum(_ block: [UInt8]) -> Int {
        var sum = 0
        for (i, b) in block.enumerated() { sum += (148..<156).contains(i) ? 0x20 : Int(b) }
        return sum
    }

    // MARK: - Decoding

    /// Decodes a header block; nil for an all-zero block (the end-of-archive marker).
    public static func decode(_ block: [UInt8]) throws -> TarHeader? {
        guard block.count == blockSize else { throw ArchiveError(.truncated, "a tar header is cut short") }
        if block.allSatisfy({ $0 == 0 }) { return nil }
        let stored = try number(block, at: 148, width: 8, field: "checksum")
        let unsigned = checksum(block)
        // Some old tars summed signed bytes; accept that form too.
        var signed = 0
        for (i, b) in block.enumerated() { signed += (148..<156).contains(i) ? 0x20 : Int(Int8(bitPattern: b)) }
        guard stored == UInt64(unsigned) || Int(stored) == signed else {
            throw ArchiveError(.tarFormat, "a tar header checksum does not match")
        }
        let magic = Array(block[257..<262])
        guard magic == Array("ustar".utf8) else { throw ArchiveError(.tarFormat, "not a ustar header") }
        let base = cString(block, at: 0, width: 100)
        let prefix = cString(block, at: 345, width: 155)
        // GNU tar's "ustar  " form keeps other fields (atime, ...) where POSIX has the prefix.
        let isPOSIX = block[262] == 0
        var name = isPOSIX && !prefix.isEmpty ? prefix + "/" + base : base
        let type = block[156]
        let kind: Kind
        switch type {
        case UInt8(ascii: "0"), 0: kind = name.hasSuffix("/") ? .directory : .file
        case UInt8(ascii: "5"): kind = .directory
        default:
            let shown = type >= 0x20 && type < 0x7F ? String(UnicodeScalar(type)) : "\\(\(type))"
            throw ArchiveError(.unsafeEntry, "\(name): entry type '\(shown)' is not a regular file or directory")
        }
        while name.count > 1 && name.hasSuffix("/") { name.removeLast() }
        let size = try number(block, at: 124, width: 12, field: "size")
        return TarHeader(
            name: name, kind: kind,
            mode: UInt32(truncatingIfNeeded: try number(block, at: 100, width: 8, field: "mode")),
            size: kind == .directory ? 0 : size,
            mtime: Int64(truncatingIfNeeded: try number(block, at: 136, width: 12, field: "mtime")),
            uid: UInt32(truncatingIfNeeded: try number(block, at: 108, width: 8, field: "uid")),
            gid: UInt32(truncatingIfNeeded: try number(block, at: 116, width: 8, field: "gid")))
    }

    static func cString(_ block: [UInt8], at offset: Int, width: Int) -> String {
        let field = block[offset..<(offset + width)]
        let end = field.firstIndex(of: 0) ?? field.endIndex
        return String(decoding: field[offset..<end], as: UTF8.self)
    }

    /// An octal field (spaces and NULs around it allowed) or a GNU base-256 one.
    static func number(_ block: [UInt8], at offset: Int, width: Int, field: String) throws -> UInt64 {
        let bytes = block[offset..<(offset + width)]
        if let first = bytes.first, first & 0x80 != 0 {
            guard first == 0x80 else { throw ArchiveError(.tarFormat, "negative or oversized \(field) field") }
            var v: UInt64 = 0
            for b in bytes.dropFirst() {
                guard v >> 56 == 0 else { throw ArchiveError(.tarFormat, "oversized \(field) field") }
                v = v << 8 | UInt64(b)
            }
            return v
        }
        var v: UInt64 = 0
        var seenDigit = false
        var ended = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard !ended else { throw ArchiveError(.tarFormat, "bad \(field) field") }
                v = v << 3 | UInt64(b - UInt8(ascii: "0"))
                seenDigit = true
            case UInt8(ascii: " "), 0:
                if seenDigit { ended = true }
            default:
                throw ArchiveError(.tarFormat, "bad \(field) field")
            }
        }
        return v
    }
}
