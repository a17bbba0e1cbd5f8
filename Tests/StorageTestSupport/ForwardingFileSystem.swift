import ApplianceStorage

/// A file system that hands every call to `base`: a test's wrapper conforms and replaces only
/// the calls it changes.
public protocol ForwardingFileSystem: FileSystem {
    associatedtype Base: FileSystem
    /// Where every call not replaced goes.
    var base: Base { get }
}

extension ForwardingFileSystem {
    public func createDirectory(at path: String) throws { try base.createDirectory(at: path) }
    public func contentsOfDirectory(at path: String) throws -> [String] { try base.contentsOfDirectory(at: path) }
    public func exists(_ path: String) -> Bool { base.exists(path) }
    public func isDirectory(_ path: String) -> Bool { base.isDirectory(path) }
    public func readFile(at path: String) throws -> [UInt8] { try base.readFile(at: path) }
    public func openForAppend(at path: String, create: Bool) throws -> any DurableFile { try base.openForAppend(at: path, create: create) }
    public func writeAtomically(_ bytes: [UInt8], to path: String) throws { try base.writeAtomically(bytes, to: path) }
    public func removeItem(at path: String) throws { try base.removeItem(at: path) }
    public func rename(from: String, to: String) throws { try base.rename(from: from, to: to) }
    public func syncDirectory(at path: String) throws { try base.syncDirectory(at: path) }
    public func status(at path: String) -> FileStatus? { base.status(at: path) }
    public func entries(at path: String) throws -> [DirectoryEntry]? { try base.entries(at: path) }
    public func openForReading(at path: String) throws -> any ReadableFile { try base.openForReading(at: path) }
    public func createFile(at path: String, exclusive: Bool) throws -> any WritableFile { try base.createFile(at: path, exclusive: exclusive) }
    public func setPermissions(_ mode: UInt32, at path: String) throws { try base.setPermissions(mode, at: path) }
    public func removeTree(at path: String) throws { try base.removeTree(at: path) }
    public func lock(at path: String) throws -> any FileLock { try base.lock(at: path) }
    public func isLocked(at path: String) -> Bool { base.isLocked(at: path) }
    public func syncTogether(_ files: [any DurableFile]) throws { try base.syncTogether(files) }
}
