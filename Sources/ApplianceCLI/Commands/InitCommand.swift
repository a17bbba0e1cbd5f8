import ApplianceDomain
import ArgumentParser

/// `init`: creates an empty data directory (idempotent).
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create an empty data directory (idempotent).")

    @OptionGroup var options: DataDirOption

    func run() async throws {
        try await refusingOnError {
            let data = DataDirectory(root: options.dataDir)
            let created = try data.initialize()
            print(created ? "initialised \(data.root)" : "\(data.root) is already initialised")
        }
    }
}
