#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Inspecting and removing whole trees, and permissions: what backup and restore need.
extension PosixFileSystem {
    public func status(at path: String) -> FileStatus? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let kind: FileKind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .file
        case S_IFDIR: kind = .directory
        default: kind = .other
        }
        return FileStatus(kind: kind, size: Int(st.st_size), mtime: Int64(st.st_mtim.tv_sec))
    }

    public func entries(at path: String) throws -> [DirectoryEntry]? {
        let names: [String]
        do {
            names = try contentsOfDirectory(at: path)
        } catch let error as StorageError where error.errno == ENOENT {
            return nil
        }
        return names.map { DirectoryEntry(name: $0, kind: kind(of: path + "/" + $0)) }
    }

    public func setPermissions(_ mode: UInt32, at path: String) throws {
        if chmod(path, mode_t(mode)) != 0 { throw StorageError(.io, "chmod failed", path: path, errno: errno) }
    }

    public func removeTree(at path: String) throws {
        switch kind(of: path) {
        case .missing:
            return
        case .directory:
            for name in try contentsOfDirectory(at: path) { try removeTree(at: path + "/" + name) }
            if rmdir(path) != 0 && errno != ENOENT { throw StorageError(.io, "rmdir failed", path: path, errno: errno) }
        case .file, .other:
            try removeItem(at: path)
        }
    }
}
