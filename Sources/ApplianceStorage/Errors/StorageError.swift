/// An error of the storage engine: a `code` to branch on, a human-readable `message`,
/// the `path` involved and, for system calls, the `errno`.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let value: String
        init(_ value: String) { self.value = value }
        public var description: String { value }

        /// A system call (open, write, read, rename, mkdir, ...) failed.
        public static let io = Code("io")
        /// `fdatasync`/`fsync` failed: the journal is poisoned, nothing more is acknowledged.
        public static let syncFailed = Code("sync_failed")
        /// A record in the middle of a journal, or a segment header, does not verify.
        public static let corrupt = Code("corrupt")
        /// Sequence numbers are not contiguous (a record or segment is missing).
        public static let sequenceGap = Code("sequence_gap")
        /// The journal was closed or poisoned by an earlier failure.
        public static let unavailable = Code("unavailable")
        /// A record could not be framed (it is empty or contains a newline).
        public static let invalidRecord = Code("invalid_record")
        /// A snapshot file does not verify.
        public static let badSnapshot = Code("bad_snapshot")
        /// Nothing is at the path (it may have just been removed).
        public static let notFound = Code("not_found")
        /// A lock is held by someone else (a running `serve` holds the data directory's).
        public static let inUse = Code("in_use")
    }

    public let code: Code
    public let message: String
    public let path: String?
    public let errno: Int32?

    public init(_ code: Code, _ message: String, path: String? = nil, errno: Int32? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.errno = errno
    }

    public var description: String {
        var s = "\(code): \(message)"
        if let path { s += " (\(path))" }
        if let errno { s += " [errno \(errno)]" }
        return s
    }
}
