import ApplianceDomain
import ApplianceStorage
import ArgumentParser
import Foundation

/// `check`: verifies every journal and snapshot without changing anything. A torn last record
/// is a warning (exit 0; it is cut at the next start); damage anywhere else is an error (exit 1).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Verify every journal and snapshot.")

    @OptionGroup var options: DataDirOption

    func run() async throws {
        var errors = 0
        try await refusingOnError {
            let data = DataDirectory(root: options.dataDir)
            try data.checkFormat()
            if data.fs.exists(data.root + "/jwt.key") {
                _ = try data.signingKey()
            } else {
                print("note    no token signing key yet (jwt.key); serve creates one at its first start")
            }
            let ids = try data.tenantIDs()
            for name in try data.unknownEntries() {
                errors += 1
                print("ERROR   \(name): not a tenant folder (a canonical id from 1 to \(DataDirectory.maxTenantID)) or a known file; serve ignores it")
            }
            for id in ids {
                let path = data.tenantPath(id)
                do {
                    let (state, report) = try TenantLoader.readState(directory: path, fs: data.fs)
                    var line = "ok      tenant \(id): \(state.orders.count) orders, seq \(report.lastSeq), \(report.segments.count) segment(s)"
                    if let snap = report.snapshotSeq { line += ", snapshot at \(snap)" }
                    print(line)
                    if let tail = report.tornTail {
                        print("warning tenant \(id): torn last record in \(tail.segment) at byte \(tail.offset) (\(tail.length) bytes, \(tail.reason)); it is cut off at the next start")
                    }
                    for broken in report.brokenSnapshots {
                        print("warning tenant \(id): snapshot \(broken) does not verify; an older snapshot and the journal are used")
                    }
                } catch let damaged as TenantLoader.Damaged {
                    errors += 1
                    print("ERROR   tenant \(id): \(damaged.error)")
                } catch {
                    errors += 1
                    print("ERROR   tenant \(id): \(error)")
                }
            }
            print(errors == 0 ? "\(ids.count) tenant(s) checked: no damage" : "\(ids.count) tenant(s) checked: \(errors) error(s)")
        }
        if errors > 0 { throw ExitCode.failure }
    }
}
