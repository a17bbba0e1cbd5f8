import ApplianceStorage

/// A folder being filled by a restore: creates folders (0700) and files (0600, never over an
/// existing one), remembers everything it created so a failed restore can remove exactly
/// that, and fsyncs it all at the end.
struct RestoreTarget {
    /// The folder entries are restored into.
    let root: String
    /// The file system the folder is on.
    let fs: any FileSystem
    /// Folders created, parents before children (the root and missing ancestors included).
    private(set) var createdDirectories: [String] = []
    /// Files created.
    private(set) var createdFiles: [String] = []

    init(root: String, fs: any FileSystem) {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
        self.fs = fs
    }

    /// Refuses a target that exists and is not an empty folder.
    func checkEmpty(what: String) throws(BackupError) {
        switch fs.kind(of: root) {
        case .missing: return
        case .directory:
            let names: [String]
            do {
                names = try fs.contentsOfDirectory(at: root)
            } catch {
                throw BackupError(.io, "cannot list \(root): \(BackupMaker.reason(error))")
            }
            guard names.isEmpty else {
                throw BackupError(.targetNotEmpty, "\(root) is not empty; restore \(what) into an absent or empty directory")
            }
        case .file, .other:
            throw BackupError(.targetNotEmpty, "\(root) exists and is not a directory; restore \(what) into an absent or empty directory")
        }
    }

    /// Creates the root and any missing ancestors; an existing (empty) root is made 0700.
    mutating func createRoot() throws(BackupError) {
        if fs.kind(of: root) == .directory {
            do {
                try fs.setPermissions(0o700, at: root)
            } catch {
                throw BackupError(.io, "cannot make \(root) private (0700): \(BackupMaker.reason(error))")
            }
            return
        }
        var missing: [String] = []
        var path = root
        while fs.kind(of: path) == .missing {
            missing.append(path)
            guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { break }
            path = String(path[..<slash])
        }
        for dir in missing.reversed() { try makeDirectory(dir) }
    }

    /// The path of `components` under the root, creating the folders on the way.
    mutating func directory(_ components: ArraySlice<String>) throws(BackupError) -> String {
        var path = root
        for component in components {
            path += "/" + component
            switch fs.kind(of: path) {
            case .directory: continue
            case .missing: try makeDirectory(path)
            case .file, .other: throw BackupError(.badArchive, "archive entry \(path) is both a file and a folder")
            }
        }
        return path
    }

    /// Creates the file at `components` (its folders as needed); it must not exist yet.
    mutating func createFile(_ components: ArraySlice<String>) throws(BackupError) -> any WritableFile {
        let folder = try directory(components.dropLast())
        let path = folder + "/" + components.last!
        do {
            let file = try fs.createFile(at: path, exclusive: true)
            createdFiles.append(path)
            return file
        } catch {
            throw BackupError(.badArchive, "cannot create \(path) (a duplicate entry?): \(BackupMaker.reason(error))")
        }
    }

    mutating func makeDirectory(_ path: String) throws(BackupError) {
        do {
            try fs.createDirectory(at: path)
        } catch {
            throw BackupError(.io, "cannot create folder \(path): \(BackupMaker.reason(error))")
        }
        createdDirectories.append(path)
    }

    /// fsyncs every folder created (children first) and the folder holding the root.
    func syncAll() throws(BackupError) {
        var folders = Set(createdDirectories)
        folders.insert(root)
        for folder in folders.sorted(by: { $0.count > $1.count }) { try BackupMaker.syncDirectory(folder, fs: fs) }
        try BackupMaker.syncDirectory(fs.parent(of: root), fs: fs)
    }

    /// Removes everything this target created (files, then folders deepest first) and `extra`
    /// files (the lock file). A root that existed before stays, empty.
    func undo(extraFiles: [String] = []) {
        for file in createdFiles.reversed() + extraFiles { try? fs.removeItem(at: file) }
        for folder in createdDirectories.sorted(by: { $0.count > $1.count }) { try? fs.removeTree(at: folder) }
    }
}
