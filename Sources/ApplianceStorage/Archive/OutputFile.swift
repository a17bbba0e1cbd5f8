#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A new file written front to back (an archive being made, a file being restored): a
/// ``ByteSink`` on a descriptor, mode 0600, with an explicit ``sync()`` before ``close()``.
public final class OutputFile: WritableFile {
    /// The file's path.
    public let path: String
    private var fd: Int32
    /// Bytes written so far.
    public private(set) var size = 0

    /// Creates `path` (0600). With `exclusive`, an existing file (or a symlink) is an error;
    /// without it an existing file is truncated.
    public init(path: String, exclusive: Bool) throws(ArchiveError) {
        var flags = O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW
        flags |= exclusive ? O_EXCL : O_TRUNC
        let fd = open(path, flags, 0o600)
        if fd < 0 { throw ArchiveError(.io, "cannot create \(path): \(String(cString: strerror(errno)))") }
        self.path = path
        self.fd = fd
    }

    deinit { close() }

    /// The device and inode of the file (to recognise it in a directory listing).
    public var identity: FileIdentity? {
        var st = stat()
        guard fd >= 0, fstat(fd, &st) == 0 else { return nil }
        return FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard fd >= 0 else { throw ArchiveError(.io, "\(path) is closed") }
        var written = 0
        while written < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + written, bytes.count - written)
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveError(.io, "write to \(path) failed: \(String(cString: strerror(errno)))")
            }
            written += n
        }
        size += written
    }

    /// Makes every written byte durable (`fsync`).
    public func sync() throws {
        guard fd >= 0 else { throw ArchiveError(.io, "\(path) is closed") }
        if fsync(fd) != 0 { throw ArchiveError(.io, "fsync of \(path) failed: \(String(cString: strerror(errno)))") }
    }

    /// Closes the descriptor (idempotent).
    public func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
