import Synchronization

/// Inspecting and removing whole trees, and permissions (recorded, for tests to read back).
extension MemoryFileSystem {
    public func status(at path: String) -> FileStatus? {
        state.withLock { s in
            s.nodes[Self.normalize(path)].map { FileStatus(kind: $0.isDirectory ? .directory : .file, size: $0.content.count, mtime: 0) }
        }
    }

    public func entries(at path: String) throws -> [DirectoryEntry]? {
        let path = Self.normalize(path)
        guard exists(path) else { return nil }
        return try contentsOfDirectory(at: path).map { DirectoryEntry(name: $0, kind: kind(of: path + "/" + $0)) }
    }

    public func setPermissions(_ mode: UInt32, at path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            guard s.nodes[path] != nil else { throw StorageError(.notFound, "no such file or directory", path: path, errno: 2) }
            s.permissions[path] = mode
        }
    }

    /// The mode last set on `path` by ``setPermissions(_:at:)``, if any.
    public func permissions(at path: String) -> UInt32? {
        state.withLock { $0.permissions[Self.normalize(path)] }
    }

    public func removeTree(at path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.remove, path, s)
            let prefix = path == "/" ? "/" : path + "/"
            for key in Array(s.nodes.keys) where key == path || key.hasPrefix(prefix) {
                if let node = s.nodes.removeValue(forKey: key), node.entrySynced { s.removed[key] = node }
                s.permissions[key] = nil
            }
        }
    }
}
