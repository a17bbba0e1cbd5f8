#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Advisory locks (`flock`).
extension PosixFileSystem {
    public func lock(at path: String) throws -> any FileLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw StorageError(.io, "cannot open \(path)", path: path, errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            _ = close(fd)
            throw StorageError(.inUse, "\(path) is locked by another process", path: path)
        }
        return PosixFileLock(fd: fd)
    }

    public func isLocked(at path: String) -> Bool {
        let fd = open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { _ = close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { return true }
        _ = flock(fd, LOCK_UN)
        return false
    }
}
