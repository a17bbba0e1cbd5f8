/// An exclusive advisory lock on `<root>/.lock`, held by `serve` and by commands that write the
/// data directory, so two writers never share it.
public final class DataDirectoryLock: Sendable {
    /// The lock file's name in the data directory.
    public static let fileName = ".lock"

    let lock: any FileLock

    /// Takes the lock or throws ``StorageError/Code/inUse`` saying that a running `serve` holds it.
    public init(root: String, fs: any FileSystem = PosixFileSystem()) throws(StorageError) {
        do {
            lock = try fs.lock(at: root + "/" + Self.fileName)
        } catch let error as StorageError where error.code == .inUse {
            throw StorageError(.inUse, "the data directory \(root) is in use by a running `serve`; stop it first")
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.io, "\(error)")
        }
    }

    /// Whether some process holds the lock now (without taking it).
    public static func isHeld(root: String, fs: any FileSystem = PosixFileSystem()) -> Bool {
        fs.isLocked(at: root + "/" + fileName)
    }
}
