import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A local stand-in for Shopify's Admin GraphQL API (`POST /admin/api/<version>/graphql.json`),
/// for the tests, the bench and demos (`SHOPIFY_ADMIN_URL`). It speaks the wire format of
/// Shopify's documented examples (the samples are in `Tests/Fixtures/shopify-admin/`):
///
/// - `tagsAdd` / `tagsRemove` → `{data: {tagsAdd: {node: {id}, userErrors: []}}}`
///   (shopify.dev/docs/api/admin-graphql/2025-01/mutations/tagsAdd, TagsAddPayload);
/// - `orderCancel` → `{data: {orderCancel: {job: {id, done}, orderCancelUserErrors: []}}}`, and a
///   second cancel of the same order → an `orderCancelUserErrors` entry saying it is already
///   cancelled (mutations/orderCancel, OrderCancelPayload, OrderCancelUserError: "An order can
///   only be cancelled if … the order hasn't already been cancelled");
/// - `{ shop { name } }` → `{data: {shop: {name}}}`;
/// - every answer carries `extensions.cost` {requestedQueryCost, actualQueryCost,
///   throttleStatus {maximumAvailable, currentlyAvailable, restoreRate}}, from a leaky bucket
///   that drains by each query's cost and refills at the restore rate (docs "GraphQL Admin API
///   rate limits": calculated query cost, leaky bucket); a request the bucket cannot hold is
///   answered `{errors: [{message: "Throttled", extensions: {code: "THROTTLED"}}], extensions:
///   {cost: {…, actualQueryCost: null}}}` with HTTP 200, as Shopify's GraphQL endpoint does;
/// - a wrong `X-Shopify-Access-Token` → HTTP 401 `{"errors": "[API] Invalid API key or access
///   token (unrecognized login or wrong password)"}` (Shopify's authentication error body);
/// - without the `write_orders` scope (``Configuration/grantedWrite`` false) → an `ACCESS_DENIED`
///   GraphQL error (docs "API access scopes": access denied errors);
/// - HTTP 5xx on demand (``failNext(_:status:)``), and unknown orders → `userErrors`.
///
/// It can also echo its changes back to the appliance as Shopify does: a signed
/// `orders/updated` delivery after a tag change and `orders/cancelled` after a cancel
/// (``Configuration/echo``), built from the order payload the test registered.
public final class ShopifyAdminFake: Sendable {
    public struct Configuration: Sendable {
        /// The only token accepted.
        public var token = "shpat_fake_admin_token"
        public var shopName = "Demo Shop"
        /// The bucket (Standard plan figures by default: 1,000 points, 50/s restore... in the
        /// docs' older table; the newer one says 100 points/s).
        public var maximumAvailable: Double = 1000
        public var restoreRate: Double = 50
        /// The bucket at start (default: full).
        public var initiallyAvailable: Double?
        /// requestedQueryCost of a mutation (Shopify: 10) and of `{ shop { name } }` (1).
        public var mutationCost: Double = 10
        public var queryCost: Double = 1
        /// Whether the token has `write_orders`.
        public var grantedWrite = true
        /// Each request takes this long (ms) before it is answered.
        public var latencyMillis: Int = 0
        /// Echo changes to the appliance: its webhook base URL (`http://…/api/v1/webhooks/<id>`) and secret.
        public var echo: (url: String, secret: String)?

        public init() {}
    }

    /// One request as the fake saw it.
    public struct Recorded: Sendable {
        /// Milliseconds since 1970 when it arrived.
        public var at: Int64
        /// `tagsAdd`, `tagsRemove`, `orderCancel`, `shop`, or `unknown`.
        public var operation: String
        /// The order id (from the gid), if any.
        public var orderID: UInt64?
        public var tags: [String]
        /// orderCancel's variables.
        public var restock: Bool?
        public var refund: Bool?
        public var notifyCustomer: Bool?
        public var reason: String?
        public var staffNote: String?
        public var gid: String?
        /// The bucket's level when it arrived (after refilling).
        public var bucketLevel: Double
        /// `ok`, `throttled`, `unauthorized`, `access_denied`, `server_error`, `user_error`, `already_cancelled`.
        public var answer: String
        public var token: String?
    }

    /// One order as the fake's "Shopify" holds it.
    public struct OrderState: Sendable {
        public var tags: Set<String> = []
        public var cancelled = false
        public var restocked: Bool?
    }

    struct State {
        var configuration: Configuration
        var available: Double
        var filledAt: Int64
        var requests: [Recorded] = []
        var orders: [UInt64: OrderState] = [:]
        var unknownOrders: Set<UInt64> = []
        var failures: [Int] = []
        var inFlight = 0
        var maxInFlight = 0
        var payloads: [UInt64: [UInt8]] = [:]
        var echoSequence = 0
        /// ``drainBucketAtNextRequest(to:)``: the level the next request finds.
        var drainAtNextRequest: Double?
    }

    let state: Mutex<State>
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    private let runTask: Mutex<Task<Void, any Error>?> = Mutex(nil)
    private let portBox = Mutex<Int>(0)

    public var port: Int { portBox.withLock { $0 } }
    /// `SHOPIFY_ADMIN_URL` for this fake.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    init(configuration: Configuration) {
        let now = Self.now()
        state = Mutex(State(configuration: configuration, available: configuration.initiallyAvailable ?? configuration.maximumAvailable,
                            filledAt: now))
    }

    static func now() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Starts a fake on `port` (0: an ephemeral one) of 127.0.0.1.
    public static func start(_ configuration: Configuration = Configuration(), port: Int = 0) async throws -> ShopifyAdminFake {
        let fake = ShopifyAdminFake(configuration: configuration)
        let router = Router()
        router.post("admin/api/:version/graphql.json") { request, _ in try await fake.handle(request) }
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = Logger(label: "shopify-admin-fake", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "shopify-admin-fake"),
            onServerRunning: { channel in
                portsContinuation.yield(channel.localAddress?.port ?? 0)
                portsContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        fake.group.withLock { $0 = group }
        fake.runTask.withLock {
            $0 = Task {
                defer { portsContinuation.finish() }
                try await group.run()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else { throw FakeError("the fake Admin API did not start") }
        fake.portBox.withLock { $0 = bound }
        return fake
    }

    public func stop() async {
        if let group = group.withLock({ $0 }) { await group.triggerGracefulShutdown() }
        if let task = runTask.withLock({ $0 }) { _ = try? await task.value }
    }

    /// Runs until the task is cancelled (the demo: `bench shopify-fake`).
    public func wait() async {
        if let task = runTask.withLock({ $0 }) { _ = try? await task.value }
    }

    // MARK: - Controls and observations

    /// The next `count` requests are answered with HTTP `status` (5xx on demand).
    public func failNext(_ count: Int, status: Int = 503) {
        state.withLock { $0.failures.append(contentsOf: Array(repeating: status, count: count)) }
    }

    public func configure(_ change: (inout Configuration) -> Void) {
        state.withLock { change(&$0.configuration) }
    }

    /// Empties the bucket (down to `level`) now.
    public func drainBucket(to level: Double = 0) {
        state.withLock { s in
            s.available = level
            s.filledAt = Self.now()
        }
    }

    /// Empties the bucket (down to `level`) the moment the next request arrives, as if other
    /// calls had just spent it: the request then meets exactly that level, however long the
    /// appliance took to send it (a test on a busy machine cannot race the refill).
    public func drainBucketAtNextRequest(to level: Double = 0) {
        state.withLock { $0.drainAtNextRequest = level }
    }

    /// Orders that do not exist in this "shop" (their mutations answer `userErrors`).
    public func markUnknown(_ orderID: UInt64) { state.withLock { _ = $0.unknownOrders.insert(orderID) } }

    /// The order payload (Shopify's JSON) to echo changes of `orderID` with.
    public func register(orderID: UInt64, payload: [UInt8]) {
        state.withLock { $0.payloads[orderID] = payload }
    }

    public var requests: [Recorded] { state.withLock { $0.requests } }
    public func order(_ id: UInt64) -> OrderState { state.withLock { $0.orders[id] ?? OrderState() } }
    /// The most requests that were in progress at once.
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    public var echoesSent: Int { state.withLock { $0.echoSequence } }
}

struct FakeError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
