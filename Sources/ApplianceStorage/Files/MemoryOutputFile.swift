/// A file of a ``MemoryFileSystem`` being written front to back: appends are visible at once
/// and durable after ``sync()``.
final class MemoryOutputFile: WritableFile {
    let fs: MemoryFileSystem
    let path: String
    let inode: UInt64
    private(set) var size = 0

    init(fs: MemoryFileSystem, path: String, inode: UInt64) {
        self.fs = fs
        self.path = path
        self.inode = inode
    }

    var identity: FileIdentity? { FileIdentity(device: 0, inode: inode) }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try fs.append(Array(bytes), path: path)
        size += bytes.count
    }

    func sync() throws { try fs.sync(path: path) }

    func close() {}
}
