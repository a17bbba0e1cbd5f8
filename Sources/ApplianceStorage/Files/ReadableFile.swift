/// A regular file opened for reading, sequentially (``ByteSource``) or at offsets. Opening
/// pins the content: it stays readable even if the file is removed afterwards.
public protocol ReadableFile: ByteSource {
    /// The file's path.
    var path: String { get }
    /// The size when the file was opened.
    var size: Int { get }
    /// The modification time when the file was opened (seconds since 1970).
    var mtime: Int64 { get }
    /// The owner's user id.
    var uid: UInt32 { get }
    /// The owner's group id.
    var gid: UInt32 { get }
    /// The device and inode.
    var identity: FileIdentity { get }
    /// Reads up to `buffer.count` bytes at `position`; fewer only at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int64) throws -> Int
    /// Closes the file (idempotent).
    func close()
}
