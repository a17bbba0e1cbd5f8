import ApplianceStorage
import ApplianceDomain
import ApplianceServer
import ArgumentParser

/// `compact`: forces a snapshot and journal compaction (refused while serve runs).
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compact", abstract: "Snapshot and compact journals now.")

    @OptionGroup var options: DataDirOption
    @Option(name: .customLong("user-id"), help: "Only this tenant.") var userID: Int?

    func run() async throws {
        try await refusingOnError {
            let (appliance, lock) = try await Runtime.openOffline(dataDir: options.dataDir, label: "compact", initialize: false)
            let registry = appliance.registry
            let tenants = try userID.map { [try registry.tenant($0)] } ?? registry.readyTenants
            for tenant in tenants.sorted(by: { $0.id < $1.id }) {
                if let task = await tenant.startCompaction() {
                    try await task.value
                    let stats = await tenant.journalStats
                    print("tenant \(tenant.id): snapshot at seq \(stats.snapshotSeq), \(stats.segmentCount) segment(s) left")
                } else {
                    print("tenant \(tenant.id): nothing new since the last snapshot")
                }
            }
            await appliance.close()
            withExtendedLifetime(lock) {}
        }
    }
}
