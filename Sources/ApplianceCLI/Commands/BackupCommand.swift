import ApplianceBackup
import ApplianceDomain
import ArgumentParser
import Foundation

/// `backup --out PATH`: a consistent `.tar.gz` of the data directory, safe while `serve` runs
/// (no lock is taken; sealed segments and snapshots never change and the active segment is
/// copied up to its last whole record).
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Write a consistent .tar.gz backup of the data directory (works while serve runs).")

    @OptionGroup var options: DataDirOption
    @Option(help: "The backup file to write (a .tar.gz; written to PATH.tmp, then renamed).") var out: String
    @Flag(help: "Also copy the WhatsApp Web browser profiles (best effort while a browser runs).") var withChrome = false
    @Option(help: "Browser profiles folder (env CHROME_DATA_DIR).") var chromeDataDir: String = Environment.string("CHROME_DATA_DIR", "./chrome_data")
    @Option(help: "gzip level, 1 (fastest, the default) to 9 (smallest).") var level: Int = 1

    func run() async throws {
        try await refusingOnError {
            guard (1...9).contains(level) else { throw CLIFailure("--level must be between 1 and 9") }
            let maker = BackupMaker(dataRoot: options.dataDir, chromeRoot: withChrome ? chromeDataDir : nil, compressionLevel: Int32(level))
            let summary = try maker.write(to: out)
            var line = "backup written to \(summary.path): \(summary.tenants) tenant(s), \(summary.files) file(s), "
            line += "\(summary.contentBytes) bytes -> \(summary.archiveBytes) bytes in \(String(format: "%.2f", summary.seconds)) s"
            if withChrome { line += " (\(summary.chromeFiles) browser-profile file(s))" }
            print(line)
            for note in summary.skipped { print("skipped \(note)") }
        }
    }
}
