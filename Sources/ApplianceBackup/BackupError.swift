/// Why a backup or a restore failed or was refused: a stable `code` and a one-line `message`.
public struct BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, as a stable code.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The source is not an initialised data directory (no `format.json`).
        public static let notADataDirectory = Code("not_a_data_directory")
        /// The restore target exists and is not an empty directory.
        public static let targetNotEmpty = Code("target_not_empty")
        /// The restore target is held by a running `serve`.
        public static let targetInUse = Code("target_in_use")
        /// The archive is damaged or is not a backup (gzip, tar, an unsafe or unexpected entry).
        public static let badArchive = Code("bad_archive")
        /// The restored files do not verify (a journal or snapshot checksum, the format marker, the key).
        public static let verificationFailed = Code("verification_failed")
        /// A tenant folder kept changing while it was being copied.
        public static let unstable = Code("unstable")
        /// A system call failed (open, read, write, fsync, rename).
        public static let io = Code("io")
        /// The backup was stopped (the server is shutting down).
        public static let cancelled = Code("cancelled")
        /// An option is invalid (an interval, a retention count).
        public static let invalid = Code("invalid")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
