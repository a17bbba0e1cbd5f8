import ApplianceStorage
import Foundation
import Logging
import NIOPosix

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
        let data = DataDirectory(root: root)
        _ = try data.initialize(now: now)
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        let clock = DemoClock(now - 15 * 24 * hour)
        let context = TenantContext(pool: pool, clock: clock, feed: LiveFeed(render: { _ in "" }),
                                    logger: Logger(label: "demo-data", factory: { _ in SwiftLogNoOpLogHandler() }),
                                    onFatal: { error in fatalError("fsync failed while writing demo data: \(error)") })
        let registry = try await TenantRegistry.open(data: data, context: context)
        let accounts = AccountService(registry: registry, signer: TokenSigner(key: try data.signingKey()), pool: pool, clock: clock)
        var logins: [Login] = []
        do {
            for shop in DemoShop.all {
                clock.set(now - 15 * 24 * hour)
                let session = try await accounts.signup(email: shop.email, password: password)
                let tenant = try registry.tenant(session.account.id)
                try await DemoWriter(tenant: tenant, registry: registry, clock: clock, shop: shop, now: now).write()
                logins.append(Login(id: session.account.id, email: shop.email, password: password, shop: shop.name))
            }
        } catch {
            await registry.closeAll()
            try? await pool.shutdownGracefully()
            throw error
        }
        await registry.closeAll()
        try await pool.shutdownGracefully()
        // No signing key in a directory meant to be copied around: `serve` makes its own.
        try FileManager.default.removeItem(atPath: root + "/jwt.key")
        return logins
    }
}
