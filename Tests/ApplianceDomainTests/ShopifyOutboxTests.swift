import ApplianceCoding
import ApplianceStorage
import Foundation
import Logging
import Synchronization
import Testing
@testable import ApplianceDomain

/// The outbox on a manual clock with a scripted Admin API: 5xx is retried with backoff for 24
/// hours and then fails; a job is never tried before the record that made it is durable.
@Suite struct ShopifyOutboxTests {
    /// Answers every request with `status` (and a body), recording when each arrived.
    final class ScriptedShopify: HTTPTransport, Sendable {
        let clock: ManualClock
        let answer: Mutex<(Int, [UInt8])>
        let arrivals = Mutex<[Int64]>([])
        init(clock: ManualClock, status: Int, body: [UInt8]) {
            self.clock = clock
            answer = Mutex((status, body))
        }
        func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult {
            arrivals.withLock { $0.append(clock.now()) }
            let (status, bytes) = answer.withLock { $0 }
            return .response(status: status, body: bytes)
        }
    }

    static let start: Int64 = 1_772_445_600_000

    func open(_ transport: ScriptedShopify, clock: ManualClock) async throws -> (TenantRegistry, ShopifyOutbox, Tenant) {
        let fs = MemoryFileSystem()
        let data = DataDirectory(root: "/data", fs: fs)
        try data.initialize(now: 0)
        var context = TenantContext(fs: fs, pool: TenantStorageTests.pool, clock: clock, feed: LiveFeed { "\($0.order.id)" },
                                    logger: Logger(label: "test"), onFatal: { _ in })
        let sink = DeferredWriteBackSink()
        context.writeBacks = sink
        let registry = try await TenantRegistry.open(data: data, context: context)
        let outbox = ShopifyOutbox(registry: registry, client: ShopifyAdminClient(baseURL: "http://fake", transport: transport),
                                   clock: clock, logger: Logger(label: "test"))
        sink.attach(outbox)
        let tenant = try await registry.create(email: "m@example.com", passwordHash: "x")
        try await tenant.updateSettings(["shopify": ["admin_access_token": "shpat_1", "shop_domain": "s.myshopify.com"]])
        return (registry, outbox, tenant)
    }

    func incoming(_ id: UInt64) -> IncomingOrder {
        IncomingOrder(id: id, number: "#\(id)", customerName: "C", phone: nil, phoneRaw: nil, phoneCountry: nil, phoneProblem: nil,
                      email: nil, totalPrice: "1.00", currency: "USD", presentmentTotal: nil, presentmentCurrency: nil, slot: nil,
                      test: false, createdAt: Self.start, updatedAt: Self.start, cancelled: false, shopDomain: nil)
    }

    /// Waits (yielding, then polling every millisecond) until `condition` holds.
    func eventually(_ what: String, _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var polls = 0
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw Waited(what: what) }
            polls += 1
            if polls < 16 { await Task.yield() } else { try await Task.sleep(for: .milliseconds(1)) }
        }
    }

    @Test func serverErrorsAreRetriedWithBackoffForADayThenFail() async throws {
        let clock = ManualClock(now: Self.start)
        let shopify = ScriptedShopify(clock: clock, status: 503, body: Array("Service Unavailable".utf8))
        let (_, outbox, tenant) = try await open(shopify, clock: clock)
        try await tenant.apply(order: incoming(7), topic: .ordersCreate, webhookID: nil)
        try await tenant.changeStatus(of: 7, to: .confirmed)
        var rounds = 0
        while try await tenant.order(7).shopifySync?.state == .pending {
            // The outbox waits on the clock (its backoff) and nothing is in flight: move time on.
            try await eventually("the outbox waits on its backoff (or gave up)") {
                if clock.sleeperCount > 0 { return true }
                return try await tenant.order(7).shopifySync?.state != .pending
            }
            let sync = try await tenant.order(7).shopifySync
            #expect(sync?.lastError?.contains("HTTP 503") == true)
            clock.advance(by: 60_000)
            rounds += 1
            #expect(rounds < 2_000)
        }
        let sync = try #require(try await tenant.order(7).shopifySync)
        #expect(sync.state == .failed)
        #expect(sync.lastError?.hasPrefix("gave up after 24 hours") == true, "\(sync.lastError ?? "")")
        #expect(sync.confirmTag == nil, "a tag never added is not ours to remove later")
        let arrivals = shopify.arrivals.withLock { $0 }
        #expect(arrivals.last! - arrivals.first! >= 24 * 3_600_000)
        // Backoff: 1 s, 2 s, 4 s … up to 5 minutes apart, never hammering.
        let gaps = zip(arrivals.dropFirst(), arrivals).map { $0 - $1 }
        #expect(gaps.allSatisfy { $0 >= 750 })
        #expect(arrivals.count < 24 * 60 + 20, "\(arrivals.count) attempts")
        let events = try await tenant.order(7).events ?? []
        #expect(events.last?.type == "shopify_sync" && events.last?.result == "failed" && events.last?.action == "tag")
        // The outcome is journaled before the outbox lets go of the job: wait for that, not a race.
        try await eventually("the outbox lets go of the failed job") { await outbox.backlog == 0 }
        #expect(await outbox.backlog == 0)
    }

    @Test func aFailedJobLeavesTheNextOneOfTheOrderToGo() async throws {
        let clock = ManualClock(now: Self.start)
        let userErrors = Array(#"{"data":{"tagsAdd":{"node":null,"userErrors":[{"field":["tags"],"message":"Tags are invalid"}]}}}"#.utf8)
        let shopify = ScriptedShopify(clock: clock, status: 200, body: userErrors)
        let (_, outbox, tenant) = try await open(shopify, clock: clock)
        try await tenant.apply(order: incoming(8), topic: .ordersCreate, webhookID: nil)
        try await tenant.changeStatus(of: 8, to: .confirmed)
        try await eventually("the write-back failed") { try await tenant.order(8).shopifySync?.state == .failed }
        let sync = try #require(try await tenant.order(8).shopifySync)
        #expect(sync.lastError == "Tags are invalid" && sync.jobs.isEmpty)
        await outbox.waitUntilIdle()
        #expect(shopify.arrivals.withLock { $0.count } == 1, "userErrors are not retried")
    }
}

struct Waited: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}
