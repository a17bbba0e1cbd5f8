import ApplianceStorage
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Makes a consistent `.tar.gz` of a data directory, safe while `serve` runs (no lock taken).
///
/// Why a copy taken file by file is consistent: sealed journal segments and snapshots never
/// change once written, and the active (last) segment only grows. So each segment is copied
/// as its longest prefix of whole lines (a record being written is left out, exactly as if
/// the backup had been taken a moment earlier). A compaction may remove files between the
/// listing of a tenant folder and their opening (after writing a newer snapshot): then the
/// folder is listed again, until every file of one listing could be opened. Once open, a
/// file stays readable even if it is removed.
///
/// The archive holds `data/` (the format marker, the signing key, every tenant folder;
/// `.lock` and `*.tmp` left out) and, with a chrome root, `chrome_data/` (browser profiles
/// without their caches). Folders are 0700 and files 0600 in the tar headers, so `tar -xzf`
/// alone also gives a working data directory.
public struct BackupMaker: Sendable {
    /// The data directory to back up.
    public let dataRoot: String
    /// The browser-profiles folder to include, if any (`--with-chrome`).
    public let chromeRoot: String?
    /// zlib level 1–9. Level 1 is the default: JSON lines compress well even so, and it keeps
    /// a backup of a large directory short and light on the CPU that ingest needs.
    public var compressionLevel: Int32
    /// How many times a tenant folder is listed again before giving up.
    public var maxListings = 50
    /// Test seam: called after a tenant folder was listed, before its files are opened.
    var afterListing: (@Sendable (String) -> Void)?

    /// Browser-profile folders that are caches (large, rebuilt by Chrome): never copied.
    static let chromeCaches: Set<String> = ["Cache", "Code Cache", "GPUCache", "ShaderCache", "GrShaderCache",
                                            "DawnCache", "DawnGraphiteCache", "DawnWebGPUCache", "Crashpad", "CacheStorage"]
    /// Browser-profile files larger than this are left out (noted in the summary).
    static let chromeFileLimit = 256 << 20

    public init(dataRoot: String, chromeRoot: String? = nil, compressionLevel: Int32 = 1) {
        var root = dataRoot
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.dataRoot = root
        self.chromeRoot = chromeRoot
        self.compressionLevel = compressionLevel
    }

    /// Writes the backup to `path`: `path.tmp` first, fsync, rename, fsync of the folder.
    /// Nothing is left at `path` or `path.tmp` when it fails.
    ///
    /// - Parameter isCancelled: polled between files; when it returns true the backup stops
    ///   with ``BackupError/Code/cancelled``.
    public func write(to path: String, isCancelled: @Sendable () -> Bool = { false }) throws(BackupError) -> BackupSummary {
        let started = ContinuousClock.now
        try checkSource()
        let tmp = path + ".tmp"
        let out: OutputFile
        do {
            out = try OutputFile(path: tmp, exclusive: false)
        } catch {
            throw BackupError(.io, "cannot create the backup file: \(error.message)")
        }
        do {
            let gzip = try GzipWriter(sink: out, level: compressionLevel)
            var summary = try writeArchive(into: gzip, skipping: out.identity, isCancelled: isCancelled)
            try gzip.finish()
            try out.sync()
            out.close()
            if rename(tmp, path) != 0 { throw BackupError(.io, "cannot rename \(tmp) to \(path): \(String(cString: strerror(errno)))") }
            try Self.syncDirectory(parent(of: path))
            summary.path = path
            summary.archiveBytes = UInt64(out.size)
            summary.seconds = Self.seconds(since: started)
            return summary
        } catch {
            out.close()
            unlink(tmp)
            throw Self.wrap(error)
        }
    }

    /// Writes the uncompressed tar stream of the backup to `sink` (``write(to:isCancelled:)``
    /// gzips it into a file).
    public func writeArchive(
        into sink: any ByteSink, skipping own: FileIdentity? = nil,
        isCancelled: @Sendable () -> Bool = { false }
    ) throws(BackupError) -> BackupSummary {
        do {
            try checkSource()
            var tar = TarWriter(sink: sink)
            var summary = BackupSummary()
            try tar.appendDirectory("data", mtime: Self.mtime(of: dataRoot))
            let names = try Self.list(dataRoot) ?? []
            var tenants: [Int] = []
            for name in names.sorted() {
                if name == ".lock" || name.hasSuffix(".tmp") { continue }
                let path = dataRoot + "/" + name
                switch Self.kind(of: path) {
                case .directory:
                    if let id = Int(name), id > 0, String(id) == name { tenants.append(id) } else { summary.skipped.append("\(path): not a tenant folder") }
                case .file:
                    guard let file = try Self.openIfPresent(path) else { continue }
                    if let own, own == file.identity { continue }
                    try copy(file, length: file.size, as: "data/" + name, into: &tar, summary: &summary)
                case .other:
                    summary.skipped.append("\(path): not a regular file or folder")
                case .missing:
                    continue
                }
            }
            for id in tenants.sorted() {
                if isCancelled() { throw BackupError(.cancelled, "backup stopped") }
                try copyTenant(id, into: &tar, summary: &summary)
            }
            if let chromeRoot {
                try copyChrome(root: chromeRoot, into: &tar, summary: &summary, isCancelled: isCancelled)
            }
            try tar.finish()
            return summary
        } catch {
            throw Self.wrap(error)
        }
    }

    func checkSource() throws(BackupError) {
        let data = DataDirectory(root: dataRoot)
        guard data.isInitialized else {
            throw BackupError(.notADataDirectory, "\(dataRoot) is not a data directory (no format.json); run `init` or pass --data-dir")
        }
        do {
            try data.checkFormat()
        } catch {
            throw BackupError(.notADataDirectory, "\((error as? DomainError)?.message ?? "\(error)")")
        }
    }

    /// One tenant folder, consistent: every file of a single listing, opened before any is copied.
    func copyTenant(_ id: Int, into tar: inout TarWriter, summary: inout BackupSummary) throws {
        let directory = dataRoot + "/\(id)"
        for attempt in 0..<maxListings {
            if attempt > 0 { summary.relists += 1 }
            guard let names = try Self.list(directory) else { return }
            afterListing?(directory)
            var files: [(name: String, file: InputFile, length: Int)] = []
            var vanished = false
            for name in names.sorted() where !(name == ".lock" || name.hasSuffix(".tmp")) {
                let path = directory + "/" + name
                switch Self.kind(of: path) {
                case .file: break
                case .missing: vanished = true
                case .directory, .other:
                    summary.skipped.append("\(path): not a regular file")
                    continue
                }
                if vanished { break }
                guard let file = try Self.openIfPresent(path) else {
                    vanished = true
                    break
                }
                // Journal segments: whole lines only (the last one may be growing right now).
                let length = name.hasSuffix(".jsonl") ? try file.lengthOfWholeLines(within: file.size) : file.size
                if JournalFileName.parseSegment(name) != nil && length == 0 { continue }
                files.append((name, file, length))
            }
            if vanished { continue }
            guard try holdsRecords(files) else {
                summary.skipped.append("\(directory): no records yet (an account being created)")
                return
            }
            try tar.appendDirectory("data/\(id)", mtime: Self.mtime(of: directory))
            for entry in files {
                try copy(entry.file, length: entry.length, as: "data/\(id)/\(entry.name)", into: &tar, summary: &summary)
            }
            summary.tenants += 1
            return
        }
        throw BackupError(.unstable, "tenant folder \(directory) kept changing over \(maxListings) listings")
    }

    /// Whether a tenant's files hold any state: a snapshot, or a segment with a record after its header.
    func holdsRecords(_ files: [(name: String, file: InputFile, length: Int)]) throws -> Bool {
        for entry in files {
            if JournalFileName.parseSnapshot(entry.name) != nil { return true }
            guard JournalFileName.parseSegment(entry.name) != nil else { continue }
            var head = [UInt8](repeating: 0, count: min(entry.length, 4096))
            let n = try head.withUnsafeMutableBytes { try entry.file.read(into: $0, at: 0) }
            if let newline = head[0..<n].firstIndex(of: 0x0A), entry.length > newline + 1 { return true }
        }
        return false
    }

    /// Streams the first `length` bytes of `file` into the archive as `name`.
    func copy(_ file: InputFile, length: Int, as name: String, into tar: inout TarWriter, summary: inout BackupSummary) throws {
        defer { file.close() }
        try tar.begin(TarHeader(name: name, kind: .file, mode: 0o600, size: UInt64(length), mtime: file.mtime, uid: file.uid, gid: file.gid))
        var buffer = [UInt8](repeating: 0, count: min(max(length, 1), 1 << 20))
        var offset = 0
        while offset < length {
            let want = min(buffer.count, length - offset)
            let n = try buffer.withUnsafeMutableBytes { try file.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]), at: Int64(offset)) }
            guard n == want else { throw BackupError(.io, "\(file.path) became shorter while it was copied") }
            try buffer.withUnsafeBytes { try tar.writeContent(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            offset += n
        }
        try tar.endFile()
        summary.files += 1
        summary.contentBytes += UInt64(length)
    }

    // MARK: - Helpers

    enum Kind { case file, directory, other, missing }

    static func kind(of path: String) -> Kind {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        default: return .other
        }
    }

    /// The file at `path` opened for reading, or nil when it does not exist (any more).
    static func openIfPresent(_ path: String) throws(ArchiveError) -> InputFile? {
        do {
            return try InputFile(path: path)
        } catch {
            if error.code == .missing { return nil }
            throw error
        }
    }

    /// The names in `path`, or nil when it does not exist.
    static func list(_ path: String) throws -> [String]? {
        guard let dir = opendir(path) else {
            if errno == ENOENT { return nil }
            throw BackupError(.io, "cannot list \(path): \(String(cString: strerror(errno)))")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func mtime(of path: String) -> Int64 {
        var st = stat()
        return lstat(path, &st) == 0 ? Int64(st.st_mtim.tv_sec) : 0
    }

    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError(.io, "cannot open folder \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw BackupError(.io, "fsync of folder \(path) failed: \(String(cString: strerror(errno)))") }
    }

    func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func wrap(_ error: any Error) -> BackupError {
        switch error {
        case let e as BackupError: return e
        case let e as ArchiveError: return BackupError(.io, e.message)
        default: return BackupError(.io, "\(error)")
        }
    }
}
