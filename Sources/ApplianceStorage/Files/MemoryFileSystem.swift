import Synchronization

/// An in-memory ``FileSystem`` that models what survives a power loss, for crash tests
/// (in the manner of SQLite's `test6.c` crash VFS).
///
/// Each file has its visible content and its *synced* content; directory entries have a visible
/// and a synced existence. ``crash(tail:)`` drops everything not synced (optionally leaving a torn,
/// garbage or zero-filled tail of unsynced appends), as a machine crash would. A fault hook can
/// make any operation fail.
public final class MemoryFileSystem: FileSystem, Sendable {
    /// An operation a fault can be injected into.
    public enum Operation: Sendable, Equatable {
        case append, sync, rename, remove, createDirectory, writeAtomically, open, syncDirectory
    }

    /// What a crash leaves of bytes appended but not synced.
    public enum CrashTail: Sendable {
        /// Nothing: the file is back to its synced content.
        case none
        /// The first `n` unsynced bytes survive (a torn write).
        case prefix(Int)
        /// `n` bytes of zeros follow the synced content (a file that grew but holds no data).
        case zeros(Int)
        /// `n` pseudo-random bytes follow the synced content.
        case garbage(Int, seed: UInt64)
    }

    struct Node {
        var content: [UInt8]
        var synced: [UInt8]
        var isDirectory: Bool
        /// Whether the directory entry itself is durable.
        var entrySynced: Bool
        /// The identity of a file made by ``createFile(at:exclusive:)`` (0 for the others).
        var inode: UInt64 = 0
    }

    struct State {
        var nodes: [String: Node] = ["/": Node(content: [], synced: [], isDirectory: true, entrySynced: true)]
        /// Entries removed but not yet synced away: they come back on a crash.
        var removed: [String: Node] = [:]
        var fault: (@Sendable (Operation, String) -> Bool)?
        var syncCount = 0
        /// Modes set by ``setPermissions(_:at:)``.
        var permissions: [String: UInt32] = [:]
        /// Paths locked by ``lock(at:)`` and not yet released.
        var locks: Set<String> = []
        var nextInode: UInt64 = 1
    }

    let state = Mutex(State())

    public init() {}

    /// Sets a hook that makes an operation on a path fail when it returns true.
    public func setFault(_ fault: (@Sendable (Operation, String) -> Bool)?) {
        state.withLock { $0.fault = fault }
    }

    /// How many file syncs (`fdatasync`) have succeeded so far.
    public var syncCount: Int { state.withLock { $0.syncCount } }

    /// Simulates a machine crash: unsynced data and unsynced directory changes are lost.
    public func crash(tail: CrashTail = .none) {
        state.withLock { s in
            for (path, node) in s.removed where s.nodes[path] == nil { s.nodes[path] = node }
            s.removed = [:]
            var survivors: [String: Node] = [:]
            for (path, var node) in s.nodes where node.entrySynced {
                if !node.isDirectory {
                    var content = node.synced
                    let unsynced = node.content.count > node.synced.count && node.content.starts(with: node.synced)
                        ? Array(node.content[node.synced.count...]) : []
                    switch tail {
                    case .none: break
                    case .prefix(let n): content += unsynced.prefix(n)
                    case .zeros(let n): if !unsynced.isEmpty { content += [UInt8](repeating: 0, count: n) }
                    case .garbage(let n, let seed):
                        if !unsynced.isEmpty {
                            var x = seed | 1
                            for _ in 0..<n {
                                x ^= x << 13; x ^= x >> 7; x ^= x << 17
                                content.append(UInt8(truncatingIfNeeded: x))
                            }
                        }
                    }
                    node.content = content
                    node.synced = content
                }
                survivors[path] = node
            }
            s.nodes = survivors
        }
    }

    func check(_ op: Operation, _ path: String, _ s: State) throws {
        if let fault = s.fault, fault(op, path) {
            throw StorageError(op == .sync || op == .syncDirectory ? .syncFailed : .io, "injected fault: \(op)", path: path, errno: 5)
        }
    }

    static func normalize(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    public func createDirectory(at path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.createDirectory, path, s)
            var missing: [String] = []
            var p = path
            while s.nodes[p] == nil && p != "/" && !p.isEmpty {
                missing.append(p)
                p = parent(of: p)
            }
            for dir in missing.reversed() {
                s.nodes[dir] = Node(content: [], synced: [], isDirectory: true, entrySynced: false)
                // Creating a directory fsyncs its parent, which makes this entry durable.
                s.nodes[dir]?.entrySynced = true
            }
        }
    }

    public func contentsOfDirectory(at path: String) throws -> [String] {
        let path = Self.normalize(path)
        return try state.withLock { s in
            guard s.nodes[path]?.isDirectory == true else { throw StorageError(.io, "no such directory", path: path, errno: 2) }
            let prefix = path == "/" ? "/" : path + "/"
            return s.nodes.keys.compactMap { key in
                guard key.hasPrefix(prefix), key != path else { return nil }
                let rest = key.dropFirst(prefix.count)
                return rest.contains("/") ? nil : String(rest)
            }
        }
    }

    public func exists(_ path: String) -> Bool {
        state.withLock { $0.nodes[Self.normalize(path)] != nil }
    }

    public func isDirectory(_ path: String) -> Bool {
        state.withLock { $0.nodes[Self.normalize(path)]?.isDirectory == true }
    }

    public func readFile(at path: String) throws -> [UInt8] {
        try state.withLock { s in
            guard let node = s.nodes[Self.normalize(path)], !node.isDirectory else {
                throw StorageError(.io, "no such file", path: path, errno: 2)
            }
            return node.content
        }
    }

    public func openForAppend(at path: String, create: Bool) throws -> any DurableFile {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.open, path, s)
            if s.nodes[path] == nil {
                guard create else { throw StorageError(.io, "no such file", path: path, errno: 2) }
                guard s.nodes[parent(of: path)]?.isDirectory == true else {
                    throw StorageError(.io, "no such directory", path: parent(of: path), errno: 2)
                }
                s.nodes[path] = Node(content: [], synced: [], isDirectory: false, entrySynced: false)
            }
        }
        return MemoryFile(fs: self, path: path)
    }

    public func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.writeAtomically, path, s)
            if let old = s.nodes[path] { s.removed[path] = old }
            // temp written and fsynced, renamed, directory fsynced: durable as a whole.
            s.nodes[path] = Node(content: bytes, synced: bytes, isDirectory: false, entrySynced: true)
        }
    }

    public func removeItem(at path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.remove, path, s)
            if let node = s.nodes.removeValue(forKey: path), node.entrySynced { s.removed[path] = node }
        }
    }

    public func rename(from: String, to: String) throws {
        let from = Self.normalize(from), to = Self.normalize(to)
        try state.withLock { s in
            try check(.rename, from, s)
            guard var node = s.nodes.removeValue(forKey: from) else {
                throw StorageError(.io, "no such file", path: from, errno: 2)
            }
            if node.entrySynced { s.removed[from] = node }
            if let old = s.nodes[to], old.entrySynced { s.removed[to] = old }
            node.entrySynced = false
            s.nodes[to] = node
        }
    }

    public func syncDirectory(at path: String) throws {
        let path = Self.normalize(path)
        try state.withLock { s in
            try check(.syncDirectory, path, s)
            let prefix = path == "/" ? "/" : path + "/"
            for key in s.nodes.keys where key.hasPrefix(prefix) && !key.dropFirst(prefix.count).contains("/") {
                s.nodes[key]?.entrySynced = true
            }
            for key in s.removed.keys where key.hasPrefix(prefix) && !key.dropFirst(prefix.count).contains("/") {
                s.removed.removeValue(forKey: key)
            }
        }
    }

    // MARK: file operations used by MemoryFile

    func append(_ bytes: [UInt8], path: String) throws {
        try state.withLock { s in
            try check(.append, path, s)
            guard s.nodes[path] != nil else { throw StorageError(.io, "file vanished", path: path, errno: 2) }
            s.nodes[path]!.content += bytes
        }
    }

    func sync(path: String) throws {
        try state.withLock { s in
            try check(.sync, path, s)
            guard let node = s.nodes[path] else { return }
            s.nodes[path]!.synced = node.content
            s.syncCount += 1
        }
    }

    func truncate(path: String, to size: Int) throws {
        state.withLock { s in
            guard let node = s.nodes[path] else { return }
            s.nodes[path]!.content = Array(node.content.prefix(size))
            if node.synced.count > size { s.nodes[path]!.synced = Array(node.synced.prefix(size)) }
        }
    }

    func size(path: String) -> Int {
        state.withLock { $0.nodes[path]?.content.count ?? 0 }
    }
}

/// A file of a ``MemoryFileSystem``.
final class MemoryFile: DurableFile, @unchecked Sendable {
    let fs: MemoryFileSystem
    let path: String

    init(fs: MemoryFileSystem, path: String) {
        self.fs = fs
        self.path = path
    }

    var size: Int { fs.size(path: path) }
    func append(_ bytes: [UInt8]) throws { try fs.append(bytes, path: path) }
    func sync() throws { try fs.sync(path: path) }
    func truncate(to size: Int) throws { try fs.truncate(path: path, to: size) }
    func close() {}
}
