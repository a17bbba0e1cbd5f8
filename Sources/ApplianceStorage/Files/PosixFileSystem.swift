#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The real file system: POSIX calls, files 0600, directories 0700, fsync where durability needs it.
public struct PosixFileSystem: FileSystem {
    /// Whether ``syncTogether(_:)`` syncs several files of one file system with one `syncfs`
    /// (on by default; off: one `fdatasync` per file, for a data directory sharing its file
    /// system with heavy writers whose dirty pages a `syncfs` would also have to write).
    public var jointSync: Bool

    public init(jointSync: Bool = true) {
        self.jointSync = jointSync
    }

    public func createDirectory(at path: String) throws {
        if isDirectory(path) { return }
        let parentPath = parent(of: path)
        if parentPath != path, !exists(parentPath) { try createDirectory(at: parentPath) }
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StorageError(.io, "mkdir failed", path: path, errno: errno)
        }
        try syncDirectory(at: parentPath)
    }

    public func contentsOfDirectory(at path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw StorageError(.io, "opendir failed", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    public func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    public func readFile(at path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw StorageError(.io, "open failed", path: path, errno: errno) }
        defer { _ = close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw StorageError(.io, "fstat failed", path: path, errno: errno) }
        let expected = Int(st.st_size)
        var bytes = [UInt8](repeating: 0, count: expected)
        var offset = 0
        try bytes.withUnsafeMutableBytes { raw in
            while offset < expected {
                let n = read(fd, raw.baseAddress! + offset, expected - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError(.io, "read failed", path: path, errno: errno)
                }
                if n == 0 { break }
                offset += n
            }
        }
        if offset < expected { bytes.removeLast(expected - offset) }
        return bytes
    }

    public func openForAppend(at path: String, create: Bool) throws -> any DurableFile {
        var flags = O_WRONLY | O_APPEND | O_CLOEXEC
        if create { flags |= O_CREAT }
        let fd = open(path, flags, 0o600)
        if fd < 0 { throw StorageError(.io, "open failed", path: path, errno: errno) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            _ = close(fd)
            throw StorageError(.io, "fstat failed", path: path, errno: errno)
        }
        return PosixFile(fd: fd, path: path, size: Int(st.st_size), device: UInt64(st.st_dev))
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let tmp = path + JournalFileName.temporarySuffix
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        if fd < 0 { throw StorageError(.io, "open failed", path: tmp, errno: errno) }
        let file = PosixFile(fd: fd, path: tmp, size: 0, device: 0)
        do {
            try file.append(bytes)
            if fsync(fd) != 0 { throw StorageError(.syncFailed, "fsync failed", path: tmp, errno: errno) }
            file.close()
        } catch {
            file.close()
            _ = unlink(tmp)
            throw error
        }
        try rename(from: tmp, to: path)
        try syncDirectory(at: parent(of: path))
    }

    public func removeItem(at path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw StorageError(.io, "unlink failed", path: path, errno: errno)
        }
    }

    public func rename(from: String, to: String) throws {
        if Glibc.rename(from, to) != 0 {
            throw StorageError(.io, "rename failed", path: from, errno: errno)
        }
    }

    public func syncDirectory(at path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw StorageError(.io, "open directory failed", path: path, errno: errno) }
        defer { _ = close(fd) }
        if fsync(fd) != 0 { throw StorageError(.syncFailed, "fsync of directory failed", path: path, errno: errno) }
    }
}
