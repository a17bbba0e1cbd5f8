import ApplianceStorage

/// `--with-chrome`: the browser profiles under `chrome_data/`. A profile in use changes all the
/// time, so this part is best effort: each file is read whole and stored as read; files that
/// vanish, special files and caches are left out.
extension BackupMaker {
    func copyChrome(root: String, into tar: inout TarWriter, summary: inout BackupSummary, isCancelled: @Sendable () -> Bool) throws {
        guard fs.kind(of: root) == .directory else {
            summary.skipped.append("\(root): no browser profiles folder")
            return
        }
        try tar.appendDirectory("chrome_data", mtime: mtime(of: root))
        try copyChromeFolder(root, as: "chrome_data", into: &tar, summary: &summary, isCancelled: isCancelled)
    }

    func copyChromeFolder(_ path: String, as name: String, into tar: inout TarWriter, summary: inout BackupSummary,
                          isCancelled: @Sendable () -> Bool) throws {
        guard let entries = try list(path) else { return }
        for entry in entries.sorted(by: { $0.name < $1.name }) {
            if isCancelled() { throw BackupError(.cancelled, "backup stopped") }
            let child = entry.name, childPath = path + "/" + child, childName = name + "/" + child
            switch entry.kind {
            case .directory:
                if Self.chromeCaches.contains(child) { continue }
                do {
                    try tar.appendDirectory(childName, mtime: mtime(of: childPath))
                } catch let error as ArchiveError where error.code == .nameTooLong {
                    summary.skipped.append("\(childPath): name too long for the archive")
                    continue
                }
                try copyChromeFolder(childPath, as: childName, into: &tar, summary: &summary, isCancelled: isCancelled)
            case .file:
                guard let file = try? openIfPresent(childPath) else { continue }
                defer { file.close() }
                guard file.size <= Self.chromeFileLimit else {
                    summary.skipped.append("\(childPath): larger than \(Self.chromeFileLimit >> 20) MiB")
                    continue
                }
                var bytes = [UInt8](repeating: 0, count: file.size)
                let n = try bytes.withUnsafeMutableBytes { try file.read(into: $0, at: 0) }
                bytes.removeLast(bytes.count - n)
                do {
                    try tar.appendFile(childName, contents: bytes, mtime: file.mtime, uid: file.uid, gid: file.gid)
                } catch let error as ArchiveError where error.code == .nameTooLong {
                    summary.skipped.append("\(childPath): name too long for the archive")
                    continue
                }
                summary.chromeFiles += 1
                summary.files += 1
                summary.contentBytes += UInt64(n)
            case .other, .missing:
                continue
            }
        }
    }
}
