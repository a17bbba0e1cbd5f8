import ApplianceDomain
import ApplianceStorage

/// Restores a backup made by ``BackupMaker`` (or a `tar -czf` of a stopped data directory)
/// into an absent or empty directory, and proves it loads.
///
/// Refused: a target held by a running `serve`, a target that is not empty. While extracting,
/// every entry must be a regular file or folder with a plain relative name under `data/`
/// (or `chrome_data/`); folders are made 0700 and files 0600 whatever the archive says.
/// Then gzip's CRC-32 and length (checked by zlib at the end of the stream), the format
/// marker, the signing key, and every tenant's journal and snapshots (the read-only recovery
/// that `check` runs) must verify; everything is fsynced. On any failure, whatever was
/// written is removed again.
public struct BackupRestorer: Sendable {
    /// The `.tar.gz` to restore.
    public let archivePath: String
    /// The data directory to create.
    public let dataRoot: String
    /// Where `chrome_data/` entries go; nil leaves them out.
    public let chromeRoot: String?
    /// The file system the archive and the targets are on.
    public let fs: any FileSystem

    public init(archivePath: String, dataRoot: String, chromeRoot: String? = nil, fs: any FileSystem = PosixFileSystem()) {
        self.archivePath = archivePath
        self.dataRoot = dataRoot
        self.chromeRoot = chromeRoot
        self.fs = fs
    }

    /// Restores and verifies; throws a ``BackupError`` (with nothing left behind) otherwise.
    public func restore() throws(BackupError) -> RestoreSummary {
        let started = ContinuousClock.now
        var data = RestoreTarget(root: dataRoot, fs: fs)
        var chrome = chromeRoot.map { RestoreTarget(root: $0, fs: fs) }
        if DataDirectoryLock.isHeld(root: data.root, fs: fs) {
            throw BackupError(.targetInUse, "the data directory \(data.root) is in use by a running `serve`; stop it first")
        }
        try data.checkEmpty(what: "a backup")
        try chrome?.checkEmpty(what: "browser profiles")
        let archive: any ReadableFile
        do {
            archive = try fs.openForReading(at: archivePath)
        } catch {
            throw BackupError(.io, "cannot open the backup: \(BackupMaker.reason(error))")
        }
        defer { archive.close() }

        var lock: DataDirectoryLock?
        var summary = RestoreSummary()
        do {
            try data.createRoot()
            do {
                lock = try DataDirectoryLock(root: data.root, fs: fs)
            } catch {
                throw BackupError(.targetInUse, error.message)
            }
            try chrome?.createRoot()
            try extract(archive, data: &data, chrome: &chrome, summary: &summary)
            try verify(summary: &summary)
            try data.syncAll()
            try chrome?.syncAll()
        } catch {
            chrome?.undo()
            data.undo(extraFiles: [data.root + "/" + DataDirectoryLock.fileName])
            withExtendedLifetime(lock) {}
            throw BackupMaker.wrap(error)
        }
        withExtendedLifetime(lock) {}
        summary.seconds = BackupMaker.seconds(since: started)
        return summary
    }

    func extract(_ archive: any ReadableFile, data: inout RestoreTarget, chrome: inout RestoreTarget?, summary: inout RestoreSummary) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        do {
            let gzip = try GzipReader(source: archive)
            var tar = TarReader(source: gzip)
            var sawData = false
            while let header = try tar.next() {
                let parts = try ArchivePath.components(of: header.name)
                let rest = parts.dropFirst()
                switch parts[0] {
                case "data":
                    sawData = true
                    // Never data: the lock file and half-written temp files.
                    if let last = rest.last, JournalFileName.isScratch(last) { continue }
                    if header.kind == .directory {
                        _ = try data.directory(rest)
                        continue
                    }
                    guard !rest.isEmpty else { throw BackupError(.badArchive, "entry \"data\" is a file, not a folder") }
                    let file = try data.createFile(rest)
                    try copyContent(&tar, to: file, buffer: &buffer, summary: &summary)
                case "chrome_data":
                    guard chrome != nil else {
                        if header.kind == .file { summary.chromeFilesSkipped += 1 }
                        continue
                    }
                    if header.kind == .directory {
                        _ = try chrome!.directory(rest)
                        continue
                    }
                    guard !rest.isEmpty else { throw BackupError(.badArchive, "entry \"chrome_data\" is a file, not a folder") }
                    let file = try chrome!.createFile(rest)
                    try copyContent(&tar, to: file, buffer: &buffer, summary: &summary)
                    summary.chromeFiles += 1
                default:
                    throw BackupError(.badArchive, "entry \"\(header.name)\" is outside data/ and chrome_data/: not a backup of this appliance")
                }
            }
            guard sawData else { throw BackupError(.badArchive, "the archive holds no data/ folder: not a backup of this appliance") }
        } catch let error as ArchiveError {
            throw BackupError(.badArchive, "the backup is damaged or not a backup: \(error.message)")
        }
    }

    func copyContent(_ tar: inout TarReader, to file: any WritableFile, buffer: inout [UInt8], summary: inout RestoreSummary) throws {
        defer { file.close() }
        while true {
            let n = try buffer.withUnsafeMutableBytes { try tar.readContent(into: $0) }
            if n == 0 { break }
            try buffer.withUnsafeBytes { try file.write(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        try file.sync()
        summary.files += 1
        summary.contentBytes += UInt64(file.size)
    }

    /// The format marker, the signing key and every tenant, read as `check` reads them.
    func verify(summary: inout RestoreSummary) throws(BackupError) {
        let directory = DataDirectory(root: dataRoot, fs: fs)
        func failed(_ why: String) -> BackupError { BackupError(.verificationFailed, "the restored data does not verify: \(why)") }
        guard directory.isInitialized else { throw failed("no format.json in the backup") }
        do {
            try directory.checkFormat()
            _ = try directory.signingKey()
        } catch {
            throw failed((error as? DomainError)?.message ?? "\(error)")
        }
        let ids: [Int]
        do {
            ids = try directory.tenantIDs()
        } catch {
            throw failed("\(error)")
        }
        for id in ids {
            let path = directory.tenantPath(id)
            do {
                let (state, report) = try TenantLoader.readState(directory: path, fs: directory.fs)
                if let broken = report.brokenSnapshots.first { throw failed("tenant \(id): snapshot \(broken) does not verify") }
                if let tail = report.tornTail {
                    // A last line cut short is what a copy of a running server may hold (it is cut
                    // at the next start); a complete line that fails its checksum is damage.
                    let bytes = (try? directory.fs.readFile(at: path + "/" + tail.segment)) ?? []
                    if tail.offset < bytes.count, bytes[tail.offset...].contains(0x0A) {
                        throw failed("tenant \(id): record at byte \(tail.offset) of \(tail.segment) does not verify (\(tail.reason))")
                    }
                    summary.warnings.append("tenant \(id): incomplete last record in \(tail.segment) at byte \(tail.offset); it is cut off at the next start")
                }
                summary.tenants += 1
                summary.orders += state.orders.count
            } catch let error as BackupError {
                throw error
            } catch let damaged as TenantLoader.Damaged {
                throw failed("tenant \(id): \(damaged.error)")
            } catch {
                throw failed("tenant \(id): \(error)")
            }
        }
    }
}
