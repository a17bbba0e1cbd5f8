/// A new file written front to back (an archive being made, a file being restored), with an
/// explicit ``sync()`` before ``close()``.
public protocol WritableFile: ByteSink {
    /// The file's path.
    var path: String { get }
    /// Bytes written so far.
    var size: Int { get }
    /// The device and inode (to recognise the file in a directory listing).
    var identity: FileIdentity? { get }
    /// Makes every written byte durable (`fsync`).
    func sync() throws
    /// Closes the file (idempotent).
    func close()
}
