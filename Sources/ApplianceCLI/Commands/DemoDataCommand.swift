import ApplianceDomain
import ArgumentParser

/// `demo-data --out DIR`: writes a demo data directory (two merchants, orders in every status
/// and message state) through the real storage code. `data.example/` is made with it.
struct DemoDataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-data", abstract: "Write a demo data directory (two merchants, demo orders) into an empty folder.")

    @Option(help: "The folder to create (absent or empty).") var out: String

    func run() async throws {
        try await refusingOnError {
            let logins = try await DemoData.generate(root: out)
            print("wrote \(out)")
            for login in logins {
                print("  user \(login.id): \(login.email) / \(login.password)  (\(login.shop))")
            }
        }
    }
}
