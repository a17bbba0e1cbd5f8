import ApplianceDomain
import ApplianceStorage
import Foundation
import Logging
import NIOPosix

/// A data directory filled in process through the real tenant code (accounts, orders,
/// compactions), for backup tests that need to race a backup against writes.
struct DataFixture {
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    let root: String
    let registry: TenantRegistry

    /// Initialises `root` and opens it; tenants compact every `compactAfterRecords` records.
    static func open(_ root: String, compactAfterRecords: Int = 100_000, fs: any FileSystem = PosixFileSystem()) async throws -> DataFixture {
        let data = DataDirectory(root: root, fs: fs)
        try data.initialize()
        var logger = Logger(label: "fixture")
        logger.logLevel = .warning
        let context = TenantContext(fs: fs, pool: pool, feed: LiveFeed(render: { _ in "" }), logger: logger,
                                    compactAfterRecords: compactAfterRecords, onFatal: { _ in })
        return DataFixture(root: data.root, registry: try await TenantRegistry.open(data: data, context: context))
    }

    /// A new tenant with an account.
    func addTenant(_ email: String) async throws -> Tenant {
        try await registry.create(email: email, passwordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA")
    }

    /// Stores Shopify order `id` for `tenant` and waits until it is durable.
    static func addOrder(_ tenant: Tenant, id: UInt64) async throws {
        let incoming = try ShopifyOrderMapper().map(body: ShopifyClient.orderBody(id: id, number: 1000 + Int(id % 100_000)),
                                                    shopDomain: "demo-shop.myshopify.com")
        try await tenant.apply(order: incoming, topic: .ordersCreate, webhookID: "w-\(id)").durable()
    }

    func close() async { await registry.closeAll() }

    /// The order ids in a data directory, read as `check` reads it.
    static func orderIDs(in root: String, tenant: Int, fs: any FileSystem = PosixFileSystem()) throws -> Set<UInt64> {
        let (state, _) = try TenantLoader.readState(directory: root + "/\(tenant)", fs: fs)
        return Set(state.orders.map(\.id))
    }
}
