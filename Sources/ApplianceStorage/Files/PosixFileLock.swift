#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `flock` held on an open descriptor; released (and the descriptor closed) with the object.
final class PosixFileLock: FileLock {
    let fd: Int32

    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        _ = flock(fd, LOCK_UN)
        _ = close(fd)
    }
}
