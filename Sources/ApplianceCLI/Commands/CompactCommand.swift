import ApplianceStorage
import ApplianceDomain
import ArgumentParser

/// `compact`: forces a snapshot and journal compaction (refused while serve runs).
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compact", abstract: "Snapshot and compact journals now.")

    @OptionGroup var options: DataDirOption
    @Option(name: .customLong("user-id"), help: "Only this tenant.") var userID: Int?

    func run() async throws {
        try await refusingOnError {
            let runtime = Runtime.make(dataDir: options.dataDir, logger: .cli("compact", level: "warning"))
            try runtime.data.checkFormat()
            let lock = try DataDirectoryLock(root: runtime.data.root)
            let registry = try await TenantRegistry.open(data: runtime.data, context: runtime.context)
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
            await registry.closeAll()
            await runtime.shutdown()
            withExtendedLifetime(lock) {}
        }
    }
}
