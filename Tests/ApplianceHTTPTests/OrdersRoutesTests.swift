@testable import ApplianceHTTP
import ApplianceDomain
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// The order routes over an in-memory domain (the controller depends on `OrderRepository`):
/// the rules that belong to the route (clamping, 422s, the order of checks) and that a change
/// is answered only when the repository's call has returned.
@Suite("Order routes on an in-memory repository")
struct OrdersRoutesTests {
    /// Every token is tenant 7's; "bad" is refused.
    struct Tokens: TenantAuthenticator {
        func tenantID(token: String) async throws(DomainError) -> Int {
            guard token == "good" else { throw DomainError(.unauthorized, "bad token") }
            return 7
        }
    }

    /// One tenant's orders in an array; a status change waits for `gate` (as a real one waits
    /// for its fsync) before it returns.
    final class MemoryOrders: OrderRepository {
        let queries = Mutex<[OrderQuery]>([])
        let stored = Mutex<[Order]>([])
        let (entered, enteredSignal) = AsyncStream.makeStream(of: Void.self)
        let (gate, gateSignal) = AsyncStream.makeStream(of: Void.self)

        init(_ orders: [Order]) { stored.withLock { $0 = orders } }

        func orders(_ query: OrderQuery, tenantID: Int) async throws(DomainError) -> OrderPage {
            queries.withLock { $0.append(query) }
            return OrderPage(orders: stored.withLock { $0 }, nextBefore: nil)
        }
        func order(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order {
            guard let o = stored.withLock({ $0.first { $0.id == id } }) else { throw DomainError(.notFound, "no such order") }
            return o
        }
        func changeStatus(of id: UInt64, to status: OrderStatus, tenantID: Int) async throws(DomainError) -> Order {
            var o = try await order(id, tenantID: tenantID)
            enteredSignal.yield()
            for await _ in gate { break }
            o.status = status
            return o
        }
        func resend(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order { try await order(id, tenantID: tenantID) }
        func rejectedDeliveries(tenantID: Int) async throws(DomainError) -> [RejectedDelivery] { [] }
    }

    static func order(_ id: UInt64) -> Order {
        Order(id: id, number: "#\(id)", customerName: "Amina", phone: "+33612345678", phoneRaw: nil, phoneCountry: "FR", email: nil,
              totalPrice: "12.00", currency: "EUR", presentmentTotal: nil, presentmentCurrency: nil, status: .pending, slot: nil,
              test: false, createdAt: 0, shopifyUpdatedAt: 0, arrivedAt: 0, updatedAt: 0, message: OrderMessage(state: .scheduled))
    }

    static func app(_ orders: MemoryOrders) -> some ApplicationProtocol {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        OrdersController(repository: orders, authenticator: Tokens(), cursors: OrderCursor(key: Array(repeating: 1, count: 32)),
                         options: ServerOptions()).addRoutes(to: router.group("api/v1/admin"))
        return Application(router: router)
    }

    @Test func listingClampsTheLimitAndChecksTokenFirst() async throws {
        let orders = MemoryOrders([Self.order(1), Self.order(2)])
        try await Self.app(orders).test(.router) { client in
            let page = try await client.get("/api/v1/admin/orders?limit=500", token: "good")
            #expect(page.status == .ok)
            #expect(page.json["orders"].array?.count == 2)
            #expect(orders.queries.withLock { $0.last?.limit } == 200)
            #expect(try await client.get("/api/v1/admin/orders?limit=0", token: "good").status == .unprocessableContent)
            // The token is checked before the order id: 401, not 404.
            #expect(try await client.get("/api/v1/admin/orders/not-a-number", token: "bad").status == .unauthorized)
            #expect(try await client.get("/api/v1/admin/orders/not-a-number", token: "good").status == .notFound)
        }
    }

    @Test func aStatusChangeIsAnsweredOnlyWhenTheRepositoryReturns() async throws {
        let orders = MemoryOrders([Self.order(1)])
        try await Self.app(orders).test(.router) { client in
            let answered = Atomic<Bool>(false)
            let request = Task {
                defer { answered.store(true, ordering: .releasing) }
                return try await client.send(.post, "/api/v1/admin/orders/1/status", token: "good", json: #"{"status":"confirmed"}"#)
            }
            for await _ in orders.entered { break }
            try await Task.sleep(for: .milliseconds(200))
            #expect(answered.load(ordering: .acquiring) == false)
            orders.gateSignal.yield()
            let response = try await request.value
            #expect(response.status == .ok)
            #expect(response.json["status"].string == "confirmed")
        }
    }
}
