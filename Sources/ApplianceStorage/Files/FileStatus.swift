/// What `lstat` tells about a path: its kind, size and modification time.
public struct FileStatus: Sendable, Equatable {
    /// The kind of entry (never ``FileKind/missing``).
    public var kind: FileKind
    /// The size in bytes (0 for a directory of ``MemoryFileSystem``).
    public var size: Int
    /// The modification time, in seconds since 1970.
    public var mtime: Int64

    public init(kind: FileKind, size: Int, mtime: Int64) {
        self.kind = kind
        self.size = size
        self.mtime = mtime
    }
}
