import ApplianceDomain
import ApplianceServer
import Foundation
import Logging

/// Builds `data.example/`: a valid data directory with two demo merchants whose orders are in
/// every status and message state, written by the real storage code through the real domain
/// paths (signed Shopify deliveries, journaled attempts and outcomes, Meta statuses, replies,
/// a compaction). `shopify-whatsapp demo-data --out DIR` runs it. The directory has no
/// `jwt.key`: `serve` creates one at its first start.
public enum DemoData {
    /// A demo login.
    public struct Login: Sendable {
        public let id: Int
        public let email: String
        public let password: String
        public let shop: String
    }

    /// The password of every demo account.
    public static let password = "demo-password"
    static let secret = "demo-shopify-secret"
    static let hour: Int64 = 3_600_000

    public struct GeneratorError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Writes the demo data directory at `root` (absent or empty), with times relative to `now`.
    public static func generate(root: String, now: Int64 = SystemWallClock().now()) async throws -> [Login] {
        if let existing = try? FileManager.default.contentsOfDirectory(atPath: root), !existing.isEmpty {
            throw GeneratorError(description: "\(root) is not empty")
        }
        let clock = DemoClock(now - 15 * 24 * hour)
        _ = try DataDirectory(root: root).initialize(now: now)
        var options = ApplianceOptions.offline(dataDir: root)
        options.initialize = false
        options.storageThreads = 2
        var dependencies = ApplianceDependencies(
            logger: Logger(label: "demo-data", factory: { _ in SwiftLogNoOpLogHandler() }),
            onFatal: { error in fatalError("fsync failed while writing demo data: \(error)") })
        dependencies.wallClock = clock
        let appliance = try await Appliance.open(options, dependencies)
        var logins: [Login] = []
        do {
            for shop in DemoShop.all {
                clock.set(now - 15 * 24 * hour)
                let session = try await appliance.accounts.signup(email: shop.email, password: password)
                let tenant = try appliance.registry.tenant(session.account.id)
                try await DemoWriter(tenant: tenant, registry: appliance.registry, clock: clock, shop: shop, now: now).write()
                logins.append(Login(id: session.account.id, email: shop.email, password: password, shop: shop.name))
            }
        } catch {
            await appliance.close()
            throw error
        }
        await appliance.close()
        // No signing key in a directory meant to be copied around: `serve` makes its own.
        try FileManager.default.removeItem(atPath: root + "/jwt.key")
        return logins
    }
}
