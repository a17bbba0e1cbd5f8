import ApplianceDomain
import Foundation
import Hummingbird

/// `/api/v1/admin/orders`: listing with cursor paging, one order with its timeline, manual
/// status changes and resends. Every route acts on the token's tenant only.
struct OrdersController<Repository: OrderRepository, Authenticator: TenantAuthenticator> {
    let repository: Repository
    let authenticator: Authenticator
    let cursors: OrderCursor
    let options: ServerOptions

    struct OrdersPage: Encodable {
        let orders: [OrderJSON]
        let next_cursor: String?

        enum CodingKeys: String, CodingKey { case orders, next_cursor }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(orders, forKey: .orders)
            try c.encode(next_cursor, forKey: .next_cursor)
        }
    }

    struct StatusBody: Decodable { let status: String }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("orders") { request, _ in try await list(request) }
        group.get("orders/:id") { request, context in try await show(request, context) }
        group.post("orders/:id/status") { request, context in try await changeStatus(request, context) }
        group.post("orders/:id/resend") { request, context in try await resend(request, context) }
        group.get("webhooks/rejected") { request, _ in try await rejected(request) }
    }

    func list(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        let params = request.uri.queryParameters
        var query = OrderQuery()
        if let raw = params["limit"] {
            guard let limit = Int(String(raw)), limit >= 1 else { throw invalid("limit must be an integer from 1 to 200") }
            query.limit = min(limit, 200)
        }
        if let raw = params["cursor"], !raw.isEmpty {
            guard let position = cursors.decode(String(raw), tenantID: tenantID) else { throw invalid("cursor is not one this server gave") }
            query.before = position
        }
        if let raw = params["status"], !raw.isEmpty {
            guard let status = OrderStatus(rawValue: String(raw)) else { throw invalid("status must be pending, confirmed, cancelled or delivered") }
            query.status = status
        }
        if let q = params["q"], !q.isEmpty { query.text = String(q) }
        if let raw = params["updated_since"], !raw.isEmpty {
            guard let since = Timestamp.parse(String(raw)) else { throw invalid("updated_since must be an ISO 8601 time") }
            query.updatedSince = since
        }
        let page = try await repository.orders(query, tenantID: tenantID)
        let next = page.nextBefore.map { cursors.encode(position: $0, tenantID: tenantID) }
        return try JSONResponse.make(OrdersPage(orders: page.orders.map { OrderJSON(order: $0) }, next_cursor: next))
    }

    func show(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        let order = try await repository.order(try orderID(context), tenantID: tenantID)
        return try JSONResponse.make(OrderJSON(order: order, withEvents: true))
    }

    func changeStatus(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        var request = request
        let body = try await request.decodeJSON(StatusBody.self, limit: options.maxJSONBytes, what: "status")
        guard let status = OrderStatus(rawValue: body.status) else {
            throw invalid("status must be pending, confirmed, cancelled or delivered")
        }
        let order = try await repository.changeStatus(of: try orderID(context), to: status, tenantID: tenantID)
        return try JSONResponse.make(OrderJSON(order: order, withEvents: true))
    }

    func resend(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        let order = try await repository.resend(try orderID(context), tenantID: tenantID)
        return try JSONResponse.make(OrderJSON(order: order, withEvents: true), status: .accepted)
    }

    func rejected(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        let list = try await repository.rejectedDeliveries(tenantID: tenantID).map {
            RejectedJSON(received_at: Timestamp.format($0.receivedAt), topic: $0.topic, webhook_id: $0.webhookID, reason: $0.reason, bytes: $0.bytes)
        }
        return try JSONResponse.make(["rejected": list])
    }

    /// An id that is not a Shopify order id cannot be one of this tenant's orders: 404.
    func orderID(_ context: AppRequestContext) throws -> UInt64 {
        guard let raw = context.parameters.get("id"), let id = UInt64(raw) else {
            throw APIError(status: .notFound, code: "not_found", message: "no such order")
        }
        return id
    }

    func invalid(_ message: String) -> APIError {
        APIError(status: .unprocessableContent, code: "invalid", message: message)
    }
}
