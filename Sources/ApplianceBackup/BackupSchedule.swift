import ApplianceDomain
import ApplianceStorage
import Foundation
import Logging
import ServiceLifecycle

/// Scheduled backups beside `serve` (`--backup-every 24h --backup-dir DIR --backup-keep N`):
/// a `Service` that writes `backup-YYYYMMDD-HHMMSS.tar.gz` (UTC) into its folder every
/// interval and then deletes the oldest of those beyond `keep`. Other files in the folder are
/// never touched.
///
/// The first backup is due one interval after the newest one already in the folder (at once if
/// that is past), or one interval after start when there is none, so restarts do not postpone
/// backups forever. A failed backup is logged and retried at the next interval. Time comes from
/// a ``SchedulerClock`` so tests drive it with ``ManualClock``; the work runs on a thread of
/// its own at a lower priority. Graceful shutdown cancels a backup in progress (its temp file
/// is removed).
public struct BackupSchedule: Service {
    /// What the schedule did, for tests and logs.
    public enum Event: Sendable, Equatable {
        /// The next backup is due at this time (ms since 1970).
        case scheduled(dueAt: Int64)
        /// A backup was written.
        case made(BackupSummary)
        /// A backup failed (the reason).
        case failed(String)
        /// Old backups were deleted (their names).
        case pruned([String])
    }

    /// Milliseconds between backups.
    public let interval: Int64
    /// The folder the backups go to.
    public let directory: String
    /// How many backups to keep (at least 1).
    public let keep: Int
    let maker: BackupMaker
    let clock: any SchedulerClock
    let logger: Logger
    let onEvent: @Sendable (Event) -> Void
    /// Runs one backup (on its own thread in production; in line in tests).
    let perform: @Sendable (BackupMaker, String) async throws -> BackupSummary

    /// - Parameters:
    ///   - interval: milliseconds between backups (see ``BackupInterval``).
    ///   - onEvent: called for every step (tests wait on it instead of sleeping).
    public init(
        maker: BackupMaker, interval: Int64, directory: String, keep: Int, clock: any SchedulerClock = SystemSchedulerClock(),
        logger: Logger, onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) throws(BackupError) {
        guard interval >= 1000 else { throw BackupError(.invalid, "the backup interval must be at least one second") }
        guard keep >= 1 else { throw BackupError(.invalid, "--backup-keep must be at least 1") }
        self.maker = maker
        self.interval = interval
        self.directory = directory
        self.keep = keep
        self.clock = clock
        self.logger = logger
        self.onEvent = onEvent
        self.perform = { maker, path in
            try await BlockingWork.run { isCancelled in try maker.write(to: path, isCancelled: isCancelled) }
        }
    }

    /// Creates the backup folder (0700) if needed: call it before starting the server so a
    /// folder that cannot be made is refused at once.
    public func prepare() throws(BackupError) {
        var target = RestoreTarget(root: directory, fs: maker.fs)
        if maker.fs.kind(of: directory) == .missing { try target.createRoot() }
        guard maker.fs.kind(of: directory) == .directory else {
            throw BackupError(.invalid, "backup folder \(directory) is not a directory")
        }
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await self.loop() }
        } catch is CancellationError {
            return
        } catch {
            // Never end the service group over a backup: log and wait for the shutdown.
            logger.error("scheduled backups stopped", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
        }
    }

    func loop() async throws {
        try prepare()
        removeStaleTemporaryFiles()
        var due = firstDue()
        while !Task.isCancelled {
            onEvent(.scheduled(dueAt: due))
            try await clock.sleep(until: due)
            await makeBackup()
            prune()
            due += interval
            let now = clock.now()
            if due <= now { due = now + interval }
        }
    }

    /// The backups in the folder, oldest first.
    public func existingBackups() -> [String] {
        names().filter { BackupName.parse($0) != nil }.sorted()
    }

    func firstDue() -> Int64 {
        let now = clock.now()
        guard let newest = existingBackups().last, let made = BackupName.parse(newest) else { return now + interval }
        return max(now, made + interval)
    }

    func makeBackup() async {
        let name = BackupName.make(at: clock.now())
        let path = directory + "/" + name
        if maker.fs.kind(of: path) != .missing {
            logger.warning("scheduled backup skipped: the file exists", metadata: ["path": "\(path)"])
            onEvent(.failed("\(path) exists"))
            return
        }
        do {
            let summary = try await perform(maker, path)
            logger.info("backup written", metadata: [
                "path": "\(path)", "tenants": "\(summary.tenants)", "files": "\(summary.files)",
                "bytes": "\(summary.archiveBytes)", "seconds": "\(String(format: "%.2f", summary.seconds))"])
            onEvent(.made(summary))
        } catch {
            logger.error("scheduled backup failed", metadata: ["path": "\(path)", "error": "\(error)"])
            onEvent(.failed("\(error)"))
        }
    }

    /// Deletes the oldest backups beyond `keep`.
    func prune() {
        let all = existingBackups()
        guard all.count > keep else { return }
        let doomed = Array(all.prefix(all.count - keep))
        var removed: [String] = []
        for name in doomed {
            do {
                try maker.fs.removeItem(at: directory + "/" + name)
                removed.append(name)
            } catch {
                logger.error("cannot delete an old backup", metadata: [
                    "path": "\(directory)/\(name)", "errno": "\((error as? StorageError)?.errno ?? 0)"])
            }
        }
        try? BackupMaker.syncDirectory(directory, fs: maker.fs)
        if !removed.isEmpty {
            logger.info("old backups deleted", metadata: ["names": "\(removed.joined(separator: ", "))"])
            onEvent(.pruned(removed))
        }
    }

    /// A crash in the middle of a backup leaves `backup-....tar.gz.tmp`: remove those.
    func removeStaleTemporaryFiles() {
        let suffix = JournalFileName.temporarySuffix
        for name in names() where name.hasSuffix(suffix) {
            if BackupName.parse(String(name.dropLast(suffix.count))) != nil { try? maker.fs.removeItem(at: directory + "/" + name) }
        }
    }

    /// The names in the backup folder (none when it cannot be listed).
    func names() -> [String] {
        (try? maker.fs.contentsOfDirectory(at: directory)) ?? []
    }
}
