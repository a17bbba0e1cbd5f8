import Synchronization

/// Locks: one holder per path within this file system.
extension MemoryFileSystem {
    public func lock(at path: String) throws -> any FileLock {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.open, path, s)
            guard !s.locks.contains(path) else { throw StorageError(.inUse, "\(path) is locked", path: path) }
            guard s.nodes[parent(of: path)]?.isDirectory == true else {
                throw StorageError(.io, "cannot open \(path): no such directory", path: path, errno: 2)
            }
            if s.nodes[path] == nil { s.nodes[path] = Node(content: [], synced: [], isDirectory: false, entrySynced: false) }
            s.locks.insert(path)
        }
        return MemoryFileLock(fs: self, path: path)
    }

    public func isLocked(at path: String) -> Bool {
        state.withLock { $0.locks.contains(Self.normalize(path)) }
    }

    func unlock(_ path: String) {
        _ = state.withLock { $0.locks.remove(path) }
    }
}
