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
}

extension FileSystem {
    /// The parent directory of `path`.
    public func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }
}
