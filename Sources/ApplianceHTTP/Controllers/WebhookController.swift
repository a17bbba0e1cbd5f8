import ApplianceDomain
import Hummingbird

/// `POST /api/v1/webhooks/{user_id}[/orders/{create|updated|cancelled|fulfilled}]`: Shopify
/// deliveries. 200 once stored durably (a duplicate or an unusable body too), 401 on a bad or
/// missing signature, 404 for an unknown tenant, 413 for a body over the limit, 503 when the
/// write cannot be made durable or the tenant is stopped.
struct WebhookController {
    let services: ApplianceServices
    let options: ServerOptions

    /// The body of every 200 for a stored delivery: the bytes `JSONResponse.make(["status": "accepted"])`
    /// produces, built once instead of per delivery.
    static let acceptedBody = ByteBuffer(string: #"{"status":"accepted"}"#)
    /// Its headers, built once too.
    static let acceptedHeaders: HTTPFields = [.contentType: JSONResponse.contentType]

    /// The routes (``WebhookFastPath`` answers the usual shapes of these paths before the router).
    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post(":user_id") { request, context in
            try await receive(request, context, userID: Substring(context.parameters.get("user_id") ?? ""), topic: nil)
        }
        group.post(":user_id/:resource/:action") { request, context in
            let resource = context.parameters.get("resource") ?? ""
            let action = context.parameters.get("action") ?? ""
            return try await receive(request, context, userID: Substring(context.parameters.get("user_id") ?? ""), topic: "\(resource)/\(action)")
        }
    }

    func receive(_ request: Request, _ context: AppRequestContext, userID raw: Substring, topic pathTopic: String?) async throws -> Response {
        try await WebhookMetrics.measure { try await handle(request, context, userID: raw, topic: pathTopic) }
    }

    func handle(_ request: Request, _ context: AppRequestContext, userID raw: Substring,
                topic pathTopic: String?) async throws -> (Response, WebhookMetrics.Outcome) {
        guard let userID = DataDirectory.tenantID(folder: raw) else {
            throw APIError(status: .notFound, code: "not_found", message: "no such tenant")
        }
        if let pathTopic, ShopifyTopic(rawValue: pathTopic) == nil {
            throw APIError(status: .notFound, code: "not_found", message: "unknown webhook route \(pathTopic)")
        }
        // Unknown or stopped tenants are answered before the body is read or checked.
        _ = try services.registry.tenant(userID)
        var request = request
        let h = WebhookHeaders(request.headers)
        let body = try await request.bodyBytes(upTo: options.maxWebhookBytes, contentLength: h.contentLength)
        let delivery = ShopifyDelivery(
            topic: pathTopic ?? h.topic,
            webhookID: h.webhookID,
            shopDomain: h.shopDomain,
            signature: h.signature,
            body: body)
        let outcome = try await services.ingest.handle(userID: userID, delivery)
        switch outcome {
        case .accepted:
            return (Response(status: .ok, headers: Self.acceptedHeaders, body: .init(byteBuffer: Self.acceptedBody)), .accepted)
        case .rejected(let reason):
            return (try JSONResponse.make(["status": "rejected", "reason": reason]), .rejected)
        }
    }
}
