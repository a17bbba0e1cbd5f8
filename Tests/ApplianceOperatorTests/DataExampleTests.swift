import ApplianceCLI
import ApplianceDomain
import ApplianceStorage
import Foundation
import Logging
import Testing

/// `data.example/` (committed, made by `shopify-whatsapp demo-data`) must stay a valid data
/// directory for this binary: `check` passes, it loads, the demo logins work, and it shows
/// every status and message state. When the format changes these fail; regenerate with
/// `rm -rf data.example && shopify-whatsapp demo-data --out data.example`.
@Suite(.serialized)
struct DataExampleTests {
    static var example: String { packageRoot() + "/data.example" }

    static let everyStatus: Set<String> = ["pending", "confirmed", "cancelled", "delivered"]
    static let everyMessageState: Set<String> = ["scheduled", "sent", "delivered", "read", "failed", "unknown", "skipped"]

    @Test func checkPasses() throws {
        let result = try Binary.cli(["check", "--data-dir", Self.example])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("2 tenant(s) checked: no damage"), "\(result.stdout)")
        #expect(!FileManager.default.fileExists(atPath: Self.example + "/jwt.key"), "a committed signing key would be shared by every demo")
    }

    /// A copy (as the README says: `cp -r data.example data`) starts, the demo logins work, and
    /// the dashboard's data is all there.
    @Test func aCopyServesTheDemoMerchants() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = tmp.sub("data")
        let copy = try Tool.run("/bin/cp", ["-r", Self.example, data])
        #expect(copy.status == 0)
        let server = try Server.start(dataDir: data, scratch: tmp.path)
        defer { server.stop() }
        var statuses: Set<String> = []
        var states: Set<String> = []
        for email in ["demo@example.com", "agency@example.com"] {
            let token = try ShopifyClient.login(port: server.port, email: email, password: DemoData.password)
            let list = try HTTPConnection(port: server.port).json("GET", "/api/v1/admin/orders?limit=200", token: token)
            let orders = try #require(list.object?["orders"] as? [[String: Any]])
            #expect(orders.count >= 8)
            for order in orders {
                statuses.insert(order["status"] as? String ?? "")
                states.insert((order["message"] as? [String: Any])?["state"] as? String ?? "")
            }
            let analytics = try HTTPConnection(port: server.port).json("GET", "/api/v1/admin/analytics", token: token)
            #expect((analytics.object?["total_orders"] as? Int) == orders.count)
            let rejected = try HTTPConnection(port: server.port).json("GET", "/api/v1/admin/webhooks/rejected", token: token)
            #expect(((rejected.object?["rejected"] as? [Any])?.count ?? 0) >= 1)
        }
        #expect(statuses == Self.everyStatus)
        #expect(states.isSuperset(of: Self.everyMessageState), "missing \(Self.everyMessageState.subtracting(states))")
        #expect(FileManager.default.fileExists(atPath: data + "/jwt.key"), "serve made its own signing key")
        #expect(permissions(data) == 0o700, "the copied data root is tightened to 0700")
    }

    /// The generator still produces what is committed (same merchants, same orders), so
    /// `data.example` cannot silently drift from the code that writes it.
    @Test func theGeneratorReproducesTheCommittedShape() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let fresh = tmp.sub("fresh")
        let logins = try await DemoData.generate(root: fresh)
        #expect(logins.map(\.email) == ["demo@example.com", "agency@example.com"])
        for login in logins {
            let committed = try DataFixture.orderIDs(in: Self.example, tenant: login.id)
            let generated = try DataFixture.orderIDs(in: fresh, tenant: login.id)
            #expect(committed == generated, "tenant \(login.id): regenerate data.example")
        }
        #expect(try Binary.cli(["check", "--data-dir", fresh]).status == 0)
        await #expect(throws: (any Error).self) { try await DemoData.generate(root: fresh) }
    }
}
