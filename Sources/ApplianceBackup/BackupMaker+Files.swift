import ApplianceStorage

/// The file-system calls of a backup, through ``BackupMaker/fs``, with their failures as
/// ``BackupError``s.
extension BackupMaker {
    /// The file at `path` opened for reading, or nil when it does not exist (any more).
    func openIfPresent(_ path: String) throws -> (any ReadableFile)? {
        do {
            return try fs.openForReading(at: path)
        } catch let error as StorageError where error.code == .notFound {
            return nil
        }
    }

    /// The entries of `path`, or nil when it does not exist.
    func list(_ path: String) throws(BackupError) -> [DirectoryEntry]? {
        do {
            return try fs.entries(at: path)
        } catch {
            throw BackupError(.io, "cannot list \(path): \(Self.reason(error))")
        }
    }

    /// The modification time of `path` (0 when it is gone).
    func mtime(of path: String) -> Int64 {
        fs.status(at: path)?.mtime ?? 0
    }

    /// fsyncs the folder `path`.
    static func syncDirectory(_ path: String, fs: any FileSystem) throws(BackupError) {
        do {
            try fs.syncDirectory(at: path)
        } catch {
            throw BackupError(.io, "fsync of folder \(path) failed: \(Self.reason(error))")
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The readable part of a storage or archive error.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let e as StorageError: e.errno.map { "\(e.message) [errno \($0)]" } ?? e.message
        case let e as ArchiveError: e.message
        default: "\(error)"
        }
    }

    static func wrap(_ error: any Error) -> BackupError {
        switch error {
        case let e as BackupError: return e
        case let e as ArchiveError: return BackupError(.io, e.message)
        case let e as StorageError: return BackupError(.io, reason(e))
        default: return BackupError(.io, "\(error)")
        }
    }
}
