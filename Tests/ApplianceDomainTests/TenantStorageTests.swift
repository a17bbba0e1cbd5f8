import ApplianceCoding
import ApplianceStorage
import Foundation
import Logging
import NIOPosix
import StorageTestSupport
import Testing
@testable import ApplianceDomain

/// The tenant on a fault-injecting file system: a failed write answers `storageUnavailable`,
/// loses nothing acknowledged, and the tenant recovers from disk once writes work again.
@Suite struct TenantStorageTests {
    static let pool: NIOThreadPool = {
        let p = NIOThreadPool(numberOfThreads: 2)
        p.start()
        return p
    }()

    struct FixedClock: WallClock {
        func now() -> Int64 { 1_750_000_000_000 }
    }

    func registry(_ fs: MemoryFileSystem, compactAfter: Int = 100_000) async throws -> TenantRegistry {
        let data = DataDirectory(root: "/data", fs: fs)
        try data.initialize(now: 0)
        let feed = LiveFeed { "\($0.kind.rawValue):\($0.order.id)" }
        let context = TenantContext(fs: fs, pool: Self.pool, clock: FixedClock(), feed: feed, logger: Logger(label: "test"),
                                    compactAfterRecords: compactAfter, onFatal: { _ in })
        return try await TenantRegistry.open(data: data, context: context)
    }

    func incoming(_ id: UInt64) -> IncomingOrder {
        IncomingOrder(id: id, number: "#\(id)", customerName: "C \(id)", phone: "+14155552671", phoneRaw: "+14155552671",
                      phoneCountry: "US", phoneProblem: nil, email: nil, totalPrice: "1.00", currency: "USD", presentmentTotal: nil,
                      presentmentCurrency: nil, slot: nil, test: false, createdAt: 1_749_999_000_000, updatedAt: 1_749_999_000_000,
                      cancelled: false, shopDomain: "s.myshopify.com")
    }

    /// Webhooks read the signing secret without visiting the actor: the copy follows every
    /// settings change, a reload after a failed write, and a restart.
    @Test func signingSecretCopyFollowsTheSettings() async throws {
        let fs = MemoryFileSystem()
        let reg = try await registry(fs)
        let tenant = try await reg.create(email: "s@b.c", passwordHash: "h")
        #expect(tenant.webhookSecret == nil)
        try await tenant.updateSettings(["shopify_webhook_secret": .string("first-secret")])
        #expect(tenant.webhookSecret == "first-secret")
        try await tenant.updateSettings(["confirmation_delay_minutes": .number(5)])
        #expect(tenant.webhookSecret == "first-secret")

        fs.setFault { op, _ in op == .append }
        await #expect(throws: DomainError.self) { try await tenant.updateSettings(["shopify_webhook_secret": .string("second-secret")]) }
        fs.setFault(nil)
        // The next write reloads what was acknowledged, and the copy with it.
        try await tenant.apply(order: incoming(1), topic: .ordersCreate, webhookID: "w1")
        #expect(tenant.webhookSecret == "first-secret")
        try await tenant.updateSettings(["shopify_webhook_secret": .string("third-secret")])

        fs.crash()
        let reopened = try await registry(fs)
        #expect(try reopened.tenant(tenant.id).webhookSecret == "third-secret")
    }

    @Test func failedWriteIsNotAcknowledgedAndTheTenantRecovers() async throws {
        let fs = MemoryFileSystem()
        let reg = try await registry(fs)
        let tenant = try await reg.create(email: "a@b.c", passwordHash: "h")
        try await tenant.apply(order: incoming(1), topic: .ordersCreate, webhookID: "w1")

        fs.setFault { op, _ in op == .append }
        await #expect(throws: DomainError(.storageUnavailable, "the change could not be stored durably; retry later")) {
            try await tenant.apply(order: incoming(2), topic: .ordersCreate, webhookID: "w2")
        }
        fs.setFault(nil)
        // The next write reloads from disk: order 2 was never acknowledged and is gone; 1 stays.
        try await tenant.apply(order: incoming(3), topic: .ordersCreate, webhookID: "w3")
        #expect(try await tenant.order(1).id == 1)
        await #expect(throws: DomainError.self) { try await tenant.order(2) }
        #expect(await tenant.hasApplied(webhookID: "w2") == false)
        // A retry of delivery 2 is applied normally.
        try await tenant.apply(order: incoming(2), topic: .ordersCreate, webhookID: "w2")

        fs.crash()
        let reopened = try await registry(fs)
        let t = try reopened.tenant(tenant.id)
        #expect(await t.orders(OrderQuery()).orders.map(\.id) == [2, 3, 1])
        #expect(await t.account?.email == "a@b.c")
        #expect(reopened.tenantID(forEmail: "a@b.c") == tenant.id)
    }

    @Test func everyAcknowledgedOrderSurvivesCrashesAndCompaction() async throws {
        let fs = MemoryFileSystem()
        // Compaction is forced once below and awaited; background compactions during the
        // crash are covered by the storage suite's crash tests.
        let reg = try await registry(fs)
        let tenant = try await reg.create(email: "x@y.z", passwordHash: "h")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 1...200 {
                group.addTask { try await tenant.apply(order: self.incoming(UInt64(i)), topic: .ordersCreate, webhookID: "w\(i)") }
            }
            try await group.waitForAll()
        }
        if let task = await tenant.startCompaction() { try await task.value }
        #expect(await tenant.journalStats.snapshotSeq > 0)
        fs.crash(tail: .garbage(100, seed: 7))
        let reopened = try await registry(fs)
        let t = try reopened.tenant(tenant.id)
        #expect(await t.orderCount == 200)
        let ids = Set(await t.orders(OrderQuery(limit: 200)).orders.map(\.id))
        #expect(ids == Set((1...200).map(UInt64.init)))
        #expect(await t.hasApplied(webhookID: "w150"))
    }

    @Test func damagedTenantIsStoppedOthersWork() async throws {
        let fs = MemoryFileSystem()
        let reg = try await registry(fs)
        let a = try await reg.create(email: "a@a.a", passwordHash: "h")
        let b = try await reg.create(email: "b@b.b", passwordHash: "h")
        for i in 1...5 { try await a.apply(order: incoming(UInt64(i)), topic: .ordersCreate, webhookID: nil) }
        try await b.apply(order: incoming(9), topic: .ordersCreate, webhookID: nil)
        // Flip a byte inside the second record of A's journal.
        let dir = "/data/\(a.id)"
        let segment = try #require(try fs.contentsOfDirectory(at: dir).first { $0.hasPrefix("journal-") })
        var bytes = try fs.readFile(at: dir + "/" + segment)
        let lines = bytes.indices.filter { bytes[$0] == 0x0A }
        bytes[lines[1] + 20] ^= 0x01
        try fs.writeAtomically(bytes, to: dir + "/" + segment)
        let reopened = try await registry(fs)
        #expect(throws: DomainError.self) { try reopened.tenant(a.id) }
        #expect(reopened.unavailableTenants[a.id] != nil)
        #expect(reopened.tenantID(forEmail: "a@a.a") == a.id)  // salvaged from the records before the damage
        #expect(await (try reopened.tenant(b.id)).orderCount == 1)
    }

    /// Orders delivered at once wait in the tenant's inbox and are merged in batches: each
    /// caller returns once its own record is durable, repeated delivery ids change nothing, and
    /// what was acknowledged survives a crash; a full disk fails the callers it hits, never
    /// acknowledging what it lost.
    @Test func concurrentOrdersThroughTheInboxAreDurableAndDeduplicated() async throws {
        let fs = MemoryFileSystem()
        let reg = try await registry(fs)
        let tenant = try await reg.create(email: "i@b.c", passwordHash: "h")
        // 300 deliveries of 200 orders (ids 1...200; every third delivered twice, under the same id).
        let deliveries = (1...200).flatMap { id -> [UInt64] in id % 3 == 0 ? [id, id] : [id] }
        let acknowledged = Locked<[UInt64]>([])
        await withTaskGroup(of: Void.self) { group in
            for id in deliveries {
                group.addTask {
                    if (try? await tenant.apply(order: self.incoming(id), topic: .ordersCreate, webhookID: "w\(id)")) != nil {
                        acknowledged.withLock { $0.append(id) }
                    }
                }
            }
        }
        #expect(acknowledged.value.count == deliveries.count)
        #expect(await tenant.orderCount == 200)
        // One record per order: the repeats were dropped, not journaled again.
        #expect(await tenant.journalStats.lastSeq - 1 == 200)

        // A full disk half-way through a second wave: the callers it hits fail, the rest succeed.
        let failed = Locked(0)
        await withTaskGroup(of: Void.self) { group in
            for id in UInt64(201)...400 {
                if id == 300 { fs.setFault { op, _ in op == .append } }
                group.addTask {
                    do {
                        try await tenant.apply(order: self.incoming(id), topic: .ordersCreate, webhookID: "w\(id)")
                        acknowledged.withLock { $0.append(id) }
                    } catch {
                        #expect((error as? DomainError)?.code == .storageUnavailable)
                        failed.withLock { $0 += 1 }
                    }
                }
            }
        }
        #expect(failed.value > 0)
        fs.setFault(nil)
        fs.crash()
        let reopened = try await registry(fs)
        let after = try reopened.tenant(tenant.id)
        for id in Set(acknowledged.value) { #expect((try? await after.order(id)) != nil, "acknowledged order \(id) is lost") }
    }

    /// The tenants' shared drainer merges every tenant's waiting orders: 20 tenants receiving
    /// at once each end up with exactly their own orders, all durable across a crash.
    @Test func manyTenantsAtOnceEachGetTheirOwnOrders() async throws {
        let fs = MemoryFileSystem()
        let reg = try await registry(fs)
        var tenants: [Tenant] = []
        for n in 0..<20 { tenants.append(try await reg.create(email: "t\(n)@b.c", passwordHash: "h")) }
        await withTaskGroup(of: Void.self) { group in
            for (n, tenant) in tenants.enumerated() {
                for k in 1...30 {
                    let id = UInt64(n * 1000 + k)
                    group.addTask { try? await tenant.apply(order: self.incoming(id), topic: .ordersCreate, webhookID: "w\(id)") }
                }
            }
        }
        fs.crash()
        let reopened = try await registry(fs)
        for (n, tenant) in tenants.enumerated() {
            let after = try reopened.tenant(tenant.id)
            #expect(await after.orderCount == 30)
            for k in [1, 15, 30] { #expect((try? await after.order(UInt64(n * 1000 + k))) != nil) }
            #expect((try? await after.order(UInt64(((n + 1) % 20) * 1000 + 1))) == nil, "another tenant's order")
        }
    }
}
