#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A ``DurableFile`` on a real file descriptor opened with `O_APPEND`.
public final class PosixFile: DurableFile, @unchecked Sendable {
    private let fd: Int32
    private let path: String
    private var currentSize: Int
    /// The file system it is on (`st_dev`), for ``PosixFileSystem/syncTogether(_:)``.
    let device: UInt64

    init(fd: Int32, path: String, size: Int, device: UInt64) {
        self.fd = fd
        self.path = path
        self.currentSize = size
        self.device = device
    }

    /// The open descriptor (for a `syncfs` of its file system).
    var descriptor: Int32 { fd }
    /// The path it was opened at.
    var filePath: String { path }

    public var size: Int { currentSize }

    public func append(_ bytes: [UInt8]) throws {
        var written = 0
        try bytes.withUnsafeBytes { raw in
            while written < raw.count {
                let n = write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw StorageError(.io, "write failed", path: path, errno: errno)
                }
                written += n
            }
        }
        currentSize += written
    }

    public func sync() throws {
        #if canImport(Glibc)
        let rc = fdatasync(fd)
        #else
        let rc = fsync(fd)
        #endif
        if rc != 0 { throw StorageError(.syncFailed, "fdatasync failed", path: path, errno: errno) }
    }

    public func truncate(to size: Int) throws {
        if ftruncate(fd, off_t(size)) != 0 {
            throw StorageError(.io, "ftruncate failed", path: path, errno: errno)
        }
        currentSize = size
    }

    public func close() {
        _ = Glibc.close(fd)
    }
}
