import ApplianceDomain
import ApplianceStorage

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
    /// The file system the data directory (and the backup) are on.
    public let fs: any FileSystem
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

    public init(dataRoot: String, chromeRoot: String? = nil, compressionLevel: Int32 = 1, fs: any FileSystem = PosixFileSystem()) {
        var root = dataRoot
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.dataRoot = root
        self.fs = fs
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
        let tmp = path + JournalFileName.temporarySuffix
        let out: any WritableFile
        do {
            out = try fs.createFile(at: tmp, exclusive: false)
        } catch {
            throw BackupError(.io, "cannot create the backup file: \(Self.reason(error))")
        }
        do {
            let gzip = try GzipWriter(sink: out, level: compressionLevel)
            var summary = try writeArchive(into: gzip, skipping: out.identity, isCancelled: isCancelled)
            try gzip.finish()
            try out.sync()
            out.close()
            do {
                try fs.rename(from: tmp, to: path)
            } catch {
                throw BackupError(.io, "cannot rename \(tmp) to \(path): \(Self.reason(error))")
            }
            try Self.syncDirectory(fs.parent(of: path), fs: fs)
            summary.path = path
            summary.archiveBytes = UInt64(out.size)
            summary.seconds = Self.seconds(since: started)
            return summary
        } catch {
            out.close()
            try? fs.removeItem(at: tmp)
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
            try tar.appendDirectory("data", mtime: mtime(of: dataRoot))
            let entries = try list(dataRoot) ?? []
            var tenants: [Int] = []
            for entry in entries.sorted(by: { $0.name < $1.name }) {
                let name = entry.name
                if JournalFileName.isScratch(name) { continue }
                let path = dataRoot + "/" + name
                switch entry.kind {
                case .directory:
                    if let id = DataDirectory.tenantID(folder: name) { tenants.append(id) } else { summary.skipped.append("\(path): not a tenant folder") }
                case .file:
                    guard let file = try openIfPresent(path) else { continue }
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
        let data = DataDirectory(root: dataRoot, fs: fs)
        guard data.isInitialized else {
            throw BackupError(.notADataDirectory, "\(dataRoot) is not a data directory (no format.json); run `init` or pass --data-dir")
        }
        do {
            try data.checkFormat()
        } catch {
            throw BackupError(.notADataDirectory, "\((error as? DomainError)?.message ?? "\(error)")")
        }
    }
}
