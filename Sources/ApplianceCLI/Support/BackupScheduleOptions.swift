import ApplianceBackup
import ApplianceDomain
import ArgumentParser
import Logging
import ServiceLifecycle

/// `serve --backup-every 24h --backup-dir DIR --backup-keep N` (env `BACKUP_EVERY`,
/// `BACKUP_DIR`, `BACKUP_KEEP`): scheduled backups beside the server.
struct BackupScheduleOptions: ParsableArguments {
    @Option(help: "Make a backup this often, e.g. 24h, 6h, 30m (env BACKUP_EVERY); off when not given.")
    var backupEvery: String? = Environment.optional("BACKUP_EVERY")
    @Option(help: "Folder for scheduled backups (env BACKUP_DIR).")
    var backupDir: String = Environment.string("BACKUP_DIR", "./backups")
    @Option(help: "How many scheduled backups to keep; older ones are deleted (env BACKUP_KEEP).")
    var backupKeep: Int = Environment.int("BACKUP_KEEP", 7)

    /// The backup service to run beside the server (none without `--backup-every`); its folder
    /// is created now so a bad one is refused before the server starts.
    func services(dataDir: String, logger: Logger) throws -> [any Service] {
        guard let backupEvery else { return [] }
        let schedule = try BackupSchedule(
            maker: BackupMaker(dataRoot: dataDir), interval: BackupInterval.parse(backupEvery),
            directory: backupDir, keep: backupKeep, logger: logger)
        try schedule.prepare()
        logger.info("scheduled backups", metadata: ["every": "\(backupEvery)", "dir": "\(backupDir)", "keep": "\(backupKeep)"])
        return [schedule]
    }
}
