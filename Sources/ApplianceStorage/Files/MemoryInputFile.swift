/// A file of a ``MemoryFileSystem`` opened for reading: the content as it was when opened.
final class MemoryInputFile: ReadableFile {
    let path: String
    let content: [UInt8]
    let identity: FileIdentity
    private var offset = 0

    init(path: String, content: [UInt8], inode: UInt64) {
        self.path = path
        self.content = content
        self.identity = FileIdentity(device: 0, inode: inode)
    }

    var size: Int { content.count }
    var mtime: Int64 { 0 }
    var uid: UInt32 { 0 }
    var gid: UInt32 { 0 }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try read(into: buffer, at: Int64(offset))
        offset += n
        return n
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, at position: Int64) throws -> Int {
        let start = min(Int(position), content.count)
        let n = min(buffer.count, content.count - start)
        guard n > 0 else { return 0 }
        content.withUnsafeBytes { raw in
            buffer.baseAddress?.copyMemory(from: raw.baseAddress! + start, byteCount: n)
        }
        return n
    }

    func close() {}
}
