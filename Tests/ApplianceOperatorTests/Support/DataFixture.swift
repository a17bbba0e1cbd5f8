import ApplianceDomain
import ApplianceServer
import ApplianceStorage
import Foundation
import Logging
import NIOPosix

/// A data directory filled in process through the real tenant code (accounts, orders,
/// compactions), for backup tests that need to race a backup against writes.
struct DataFixture {
    let root: String
    let appliance: Appliance
    var registry: TenantRegistry { appliance.registry }

    /// Initialises `root` and opens it through the composition root, without messaging, on `fs`;
    /// tenants compact every `compactAfterRecords` records.
    static func open(_ root: String, compactAfterRecords: Int = 100_000, fs: any FileSystem = PosixFileSystem()) async throws -> DataFixture {
        var logger = Logger(label: "fixture")
        logger.logLevel = .warning
        var options = ApplianceOptions.offline(dataDir: root)
        options.storageThreads = 2
        options.compactAfterRecords = compactAfterRecords
        var dependencies = ApplianceDependencies(logger: logger, onFatal: { _ in })
        dependencies.fs = fs
        let appliance = try await Appliance.open(options, dependencies)
        return DataFixture(root: appliance.data.root, appliance: appliance)
    }

    /// A new tenant with an account.
    func addTenant(_ email: String) async throws -> Tenant {
        try await registry.create(email: email, passwordHash: "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA")
    }

    /// Stores Shopify order `id` for `tenant` and waits until it is durable.
    static func addOrder(_ tenant: Tenant, id: UInt64) async throws {
        let incoming = try ShopifyOrderMapper().map(body: ShopifyClient.orderBody(id: id, number: 1000 + Int(id % 100_000)),
                                                    shopDomain: "demo-shop.myshopify.com")
        try await tenant.apply(order: incoming, topic: .ordersCreate, webhookID: "w-\(id)")
    }

    func close() async { await appliance.close() }

    /// The order ids in a data directory, read as `check` reads it.
    static func orderIDs(in root: String, tenant: Int, fs: any FileSystem = PosixFileSystem()) throws -> Set<UInt64> {
        let (state, _) = try TenantLoader.readState(directory: root + "/\(tenant)", fs: fs)
        return Set(state.orders.map(\.id))
    }
}
