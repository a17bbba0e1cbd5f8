import ApplianceStorage

/// Copying the files of a tenant folder: one consistent listing, segments cut to whole lines.
extension BackupMaker {
    /// One tenant folder, consistent: every file of a single listing, opened before any is copied.
    func copyTenant(_ id: Int, into tar: inout TarWriter, summary: inout BackupSummary) throws {
        let directory = dataRoot + "/\(id)"
        for attempt in 0..<maxListings {
            if attempt > 0 { summary.relists += 1 }
            guard let entries = try list(directory) else { return }
            afterListing?(directory)
            var files: [(name: String, file: any ReadableFile, length: Int)] = []
            var vanished = false
            for entry in entries.sorted(by: { $0.name < $1.name }) where !JournalFileName.isScratch(entry.name) {
                let name = entry.name, path = directory + "/" + name
                switch entry.kind {
                case .file: break
                case .missing: vanished = true
                case .directory, .other:
                    summary.skipped.append("\(path): not a regular file")
                    continue
                }
                if vanished { break }
                guard let file = try openIfPresent(path) else {
                    vanished = true
                    break
                }
                // Journal segments: whole lines only (the last one may be growing right now).
                let segment = JournalFileName.isSegment(name)
                let length = segment ? try file.lengthOfWholeLines(within: file.size) : file.size
                if segment && length == 0 { continue }
                files.append((name, file, length))
            }
            if vanished { continue }
            guard try holdsRecords(files) else {
                summary.skipped.append("\(directory): no records yet (an account being created)")
                return
            }
            try tar.appendDirectory("data/\(id)", mtime: mtime(of: directory))
            for entry in files {
                try copy(entry.file, length: entry.length, as: "data/\(id)/\(entry.name)", into: &tar, summary: &summary)
            }
            summary.tenants += 1
            return
        }
        throw BackupError(.unstable, "tenant folder \(directory) kept changing over \(maxListings) listings")
    }

    /// Whether a tenant's files hold any state: a snapshot, or a segment with a record after its header.
    func holdsRecords(_ files: [(name: String, file: any ReadableFile, length: Int)]) throws -> Bool {
        for entry in files {
            if JournalFileName.isSnapshot(entry.name) { return true }
            guard JournalFileName.isSegment(entry.name) else { continue }
            var head = [UInt8](repeating: 0, count: min(entry.length, 4096))
            let n = try head.withUnsafeMutableBytes { try entry.file.read(into: $0, at: 0) }
            if let newline = head[0..<n].firstIndex(of: 0x0A), entry.length > newline + 1 { return true }
        }
        return false
    }

    /// Streams the first `length` bytes of `file` into the archive as `name`.
    func copy(_ file: any ReadableFile, length: Int, as name: String, into tar: inout TarWriter, summary: inout BackupSummary) throws {
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
}
