/// An error of the archive code (tar and gzip): a `code` to branch on and a readable `message`.
public struct ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A system call failed (open, read, write, fsync, rename).
        public static let io = Code("io")
        /// A file to read does not exist (it may have been removed since it was listed).
        public static let missing = Code("missing")
        /// The gzip stream is damaged: bad header, failed CRC-32 or length check, bad deflate data.
        public static let gzip = Code("gzip")
        /// The archive ends before its end marker (a truncated file).
        public static let truncated = Code("truncated")
        /// A tar header does not verify (checksum, magic, number fields).
        public static let tarFormat = Code("tar_format")
        /// An entry this reader refuses: a link, device, FIFO, extension header, an absolute path or `..`.
        public static let unsafeEntry = Code("unsafe_entry")
        /// A name does not fit a ustar header (100 bytes, or 155 + 100 split at a `/`).
        public static let nameTooLong = Code("name_too_long")
        /// An entry's content does not match the size its header announced.
        public static let sizeMismatch = Code("size_mismatch")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
