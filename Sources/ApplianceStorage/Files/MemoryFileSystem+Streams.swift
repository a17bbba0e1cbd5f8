import Synchronization

/// Files read or written front to back in pieces (archives, restored files).
extension MemoryFileSystem {
    public func openForReading(at path: String) throws -> any ReadableFile {
        let path = Self.normalize(path)
        return try state.withLock { s in
            try check(.open, path, s)
            guard let node = s.nodes[path] else { throw StorageError(.notFound, "cannot open \(path): no such file", path: path, errno: 2) }
            guard !node.isDirectory else { throw StorageError(.io, "\(path) is not a regular file", path: path) }
            return MemoryInputFile(path: path, content: node.content, inode: node.inode)
        }
    }

    public func createFile(at path: String, exclusive: Bool) throws -> any WritableFile {
        let path = Self.normalize(path)
        let inode = try state.withLock { s in
            try check(.open, path, s)
            guard s.nodes[parent(of: path)]?.isDirectory == true else {
                throw StorageError(.io, "cannot create \(path): no such directory", path: path, errno: 2)
            }
            if let old = s.nodes[path] {
                guard !exclusive, !old.isDirectory else { throw StorageError(.io, "cannot create \(path): it exists", path: path, errno: 17) }
                s.nodes[path]!.content = []
                return old.inode
            }
            let inode = s.nextInode
            s.nextInode += 1
            s.nodes[path] = Node(content: [], synced: [], isDirectory: false, entrySynced: false, inode: inode)
            return inode
        }
        return MemoryOutputFile(fs: self, path: path, inode: inode)
    }
}
