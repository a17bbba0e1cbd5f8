#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An existing regular file read through a descriptor: sequentially as a ``ByteSource`` or at
/// offsets. Opening pins the file: it stays readable even if it is unlinked afterwards.
public final class InputFile: ReadableFile {
    /// The file's path.
    public let path: String
    private var fd: Int32
    private var offset: Int64 = 0
    /// The size when the file was opened.
    public let size: Int
    /// The modification time when the file was opened (seconds since 1970).
    public let mtime: Int64
    /// The owner's user id.
    public let uid: UInt32
    /// The owner's group id.
    public let gid: UInt32
    /// The device and inode: the file's identity whatever its name.
    public let identity: FileIdentity

    /// Opens `path` for reading; symlinks and anything but a regular file are refused.
    /// Throws ``ArchiveError/Code/missing`` when nothing is at `path` (it may have just been removed).
    public init(path: String) throws(ArchiveError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            let e = errno
            throw ArchiveError(e == ENOENT ? .missing : .io, "cannot open \(path): \(String(cString: strerror(e)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            _ = Glibc.close(fd)
            throw ArchiveError(.io, "fstat of \(path) failed: \(String(cString: strerror(e)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            _ = Glibc.close(fd)
            throw ArchiveError(.io, "\(path) is not a regular file")
        }
        self.path = path
        self.fd = fd
        self.size = Int(st.st_size)
        self.mtime = Int64(st.st_mtim.tv_sec)
        self.uid = UInt32(st.st_uid)
        self.gid = UInt32(st.st_gid)
        self.identity = FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    deinit { close() }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try read(into: buffer, at: offset)
        offset += Int64(n)
        return n
    }

    /// Reads up to `buffer.count` bytes at `position`; fewer only at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int64) throws -> Int {
        guard fd >= 0 else { throw ArchiveError(.io, "\(path) is closed") }
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(position) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ArchiveError(.io, "read of \(path) failed: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Closes the descriptor (idempotent).
    public func close() {
        if fd >= 0 {
            _ = Glibc.close(fd)
            fd = -1
        }
    }
}
