/// A lock of a ``MemoryFileSystem``, released with the object.
final class MemoryFileLock: FileLock {
    let fs: MemoryFileSystem
    let path: String

    init(fs: MemoryFileSystem, path: String) {
        self.fs = fs
        self.path = path
    }

    deinit { fs.unlock(path) }
}
