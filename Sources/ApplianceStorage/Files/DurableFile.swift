/// An open, append-only file of a journal segment. The seam that lets tests inject faults
/// (failing writes or syncs, lost unsynced bytes) in place of the real file system.
///
/// One writer uses a `DurableFile` at a time; implementations need not be thread-safe.
public protocol DurableFile: AnyObject, Sendable {
    /// Appends all of `bytes` at the end of the file.
    func append(_ bytes: [UInt8]) throws
    /// Makes every appended byte durable (`fdatasync`).
    func sync() throws
    /// Cuts the file to `size` bytes (used to undo a partial append).
    func truncate(to size: Int) throws
    /// The current size in bytes.
    var size: Int { get }
    /// Closes the file. Further calls are invalid.
    func close()
}
