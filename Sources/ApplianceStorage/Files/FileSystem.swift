/// The file-system operations the storage engine needs, behind a protocol so tests can run the
/// engine on ``MemoryFileSystem`` with injected faults and simulated crashes.
///
/// Paths are plain strings; directories are created with mode 0700 and files with 0600.
public protocol FileSystem: Sendable {
    /// Creates `path` (and missing parents) with mode 0700, then fsyncs the parent directory.
    func createDirectory(at path: String) throws
    /// The names (not paths) in directory `path`.
    func contentsOfDirectory(at path: String) throws -> [String]
    /// Whether anything exists at `path`.
    func exists(_ path: String) -> Bool
    /// Whether `path` is a directory.
    func isDirectory(_ path: String) -> Bool
    /// The whole content of the file at `path`.
    func readFile(at path: String) throws -> [UInt8]
    /// Opens `path` for appending, creating it (0600) when `create` is true.
    func openForAppend(at path: String, create: Bool) throws -> any DurableFile
    /// Writes `bytes` to `path` atomically: temp file, fsync, rename, fsync of the directory.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws
    /// Removes the file at `path` (no directory sync; call ``syncDirectory(at:)``).
    func removeItem(at path: String) throws
    /// Renames `from` to `to` (no directory sync; call ``syncDirectory(at:)``).
    func rename(from: String, to: String) throws
    /// fsyncs the directory at `path` so entries created, renamed or removed in it are durable.
    func syncDirectory(at path: String) throws

    /// What is at `path` without following a symlink (`lstat`), or nil when nothing is.
    func status(at path: String) -> FileStatus?
    /// The entries of directory `path` with their kinds (`lstat`), or nil when `path` does not exist.
    func entries(at path: String) throws -> [DirectoryEntry]?
    /// Opens the regular file at `path` for reading; a symlink or anything but a regular file is
    /// refused. Throws ``StorageError/Code/notFound`` when nothing is at `path`.
    func openForReading(at path: String) throws -> any ReadableFile
    /// Creates the file `path` (0600) to write it front to back. With `exclusive`, an existing
    /// file (or a symlink) is an error; without it an existing file is truncated.
    func createFile(at path: String, exclusive: Bool) throws -> any WritableFile
    /// Sets the permission bits of `path` (`chmod`).
    func setPermissions(_ mode: UInt32, at path: String) throws
    /// Removes `path` and, when it is a directory, everything in it (symlinks are removed, not
    /// followed). Nothing at `path` is not an error.
    func removeTree(at path: String) throws
    /// Takes an exclusive lock on the file `path` (created 0600 when absent) without waiting.
    /// Throws ``StorageError/Code/inUse`` when someone else holds it. Released with the object.
    func lock(at path: String) throws -> any FileLock
    /// Whether someone holds the lock on `path` right now (checked without keeping it).
    func isLocked(at path: String) -> Bool
    /// Makes every appended byte of all `files` durable, as ``DurableFile/sync()`` on each
    /// would, possibly with fewer calls (the journals' shared flusher syncs a round's files
    /// with this).
    func syncTogether(_ files: [any DurableFile]) throws
}

extension FileSystem {
    /// One ``DurableFile/sync()`` per file (file systems with a cheaper joint sync override it).
    public func syncTogether(_ files: [any DurableFile]) throws {
        for file in files { try file.sync() }
    }
}

extension FileSystem {
    /// The parent directory of `path`.
    public func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// What is at `path` (``FileKind/missing`` when nothing is), without following a symlink.
    public func kind(of path: String) -> FileKind {
        status(at: path)?.kind ?? .missing
    }
}
