import ApplianceBackup
import ApplianceDomain
import ArgumentParser
import Foundation

/// `restore PATH --data-dir D`: restores a backup into an absent or empty directory, verifies
/// every checksum (gzip, journals, snapshots) and fsyncs it; refused while `serve` holds `D`.
/// On any failure nothing is left behind.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Restore a backup into an absent or empty data directory, verifying every checksum.")

    @Argument(help: "The backup (.tar.gz) to restore.") var path: String
    @OptionGroup var options: DataDirOption
    @Flag(help: "Also restore the browser profiles in the backup (into --chrome-data-dir, which must be absent or empty).") var withChrome = false
    @Option(help: "Browser profiles folder (env CHROME_DATA_DIR).") var chromeDataDir: String = Environment.string("CHROME_DATA_DIR", "./chrome_data")

    func run() async throws {
        try await refusingOnError {
            let restorer = BackupRestorer(archivePath: path, dataRoot: options.dataDir, chromeRoot: withChrome ? chromeDataDir : nil)
            let summary = try restorer.restore()
            for warning in summary.warnings { print("warning \(warning)") }
            var line = "restored \(path) into \(options.dataDir): \(summary.tenants) tenant(s), \(summary.orders) order(s), "
            line += "\(summary.files) file(s), \(summary.contentBytes) bytes, all checksums verified in \(String(format: "%.2f", summary.seconds)) s"
            print(line)
            if withChrome { print("\(summary.chromeFiles) browser-profile file(s) restored into \(chromeDataDir)") }
            else if summary.chromeFilesSkipped > 0 {
                print("\(summary.chromeFilesSkipped) browser-profile file(s) in the backup were not restored (use --with-chrome)")
            }
        }
    }
}
