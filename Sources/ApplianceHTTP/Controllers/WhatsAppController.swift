import ApplianceDomain
import Foundation
import Hummingbird
import Logging

/// `/api/v1/admin/whatsapp/*` (the token's tenant) and the Meta Cloud API callbacks
/// `/api/v1/whatsapp/{user_id}/webhook` (verify handshake and signed notifications).
struct WhatsAppController {
    let services: ApplianceServices
    let options: ServerOptions

    func addAdminRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("whatsapp/status") { request, _ in
            let tenant = try await services.tenant(for: request)
            return try JSONResponse.make(WhatsAppStatusJSON(status: await tenant.whatsAppStatus))
        }
        group.get("whatsapp/inbox") { request, _ in
            let tenant = try await services.tenant(for: request)
            let messages = await tenant.inboxMessages().map {
                InboxMessageJSON(id: $0.id, from: $0.from, text: $0.text, at: Timestamp.format($0.at))
            }
            return try JSONResponse.make(["messages": messages])
        }
        group.post("whatsapp/connect") { request, _ in
            let tenant = try await services.tenant(for: request)
            let status = try await services.whatsapp.connect(tenant)
            return try JSONResponse.make(WhatsAppStatusJSON(status: status), status: .accepted)
        }
        group.post("whatsapp/disconnect") { request, _ in
            let tenant = try await services.tenant(for: request)
            return try JSONResponse.make(WhatsAppStatusJSON(status: await services.whatsapp.disconnect(tenant)))
        }
        group.post("whatsapp/test") { request, _ in
            let tenant = try await services.tenant(for: request)
            var request = request
            let body = try await request.decodeJSON(TestBody.self, limit: options.maxJSONBytes, what: "a string \"phone\"")
            let phone = try await services.whatsapp.sendTest(tenant, phone: body.phone)
            return try JSONResponse.make(["status": "queued", "phone": phone], status: .accepted)
        }
    }

    /// `POST whatsapp/test`: `{"phone": "+4915123456789"}`.
    struct TestBody: Decodable { let phone: String }

    /// One entry of `GET whatsapp/inbox`: a customer message that matched no order.
    struct InboxMessageJSON: Encodable {
        let id: String?
        let from: String
        let text: String
        let at: String

        enum CodingKeys: String, CodingKey { case id, from, text, at }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(from, forKey: .from)
            try c.encode(text, forKey: .text)
            try c.encode(at, forKey: .at)
        }
    }

    func addCallbackRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get(":user_id/webhook") { request, context in try await verify(request, context) }
        group.post(":user_id/webhook") { request, context in try await receive(request, context) }
    }

    func userID(_ context: AppRequestContext) throws -> Int {
        guard let raw = context.parameters.get("user_id"), let id = DataDirectory.tenantID(folder: raw) else {
            throw APIError(status: .notFound, code: "not_found", message: "no such tenant")
        }
        return id
    }

    /// Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` matches.
    func verify(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let q = request.uri.queryParameters
        let challenge = try await services.meta.verify(
            userID: try userID(context), mode: q["hub.mode"].map(String.init), token: q["hub.verify_token"].map(String.init),
            challenge: q["hub.challenge"].map(String.init))
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: challenge)))
    }

    /// A signed notification: statuses of our messages and customers' replies, answered once durable.
    func receive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let userID = try userID(context)
        // Unknown or stopped tenants are answered before the body is read.
        _ = try services.registry.tenant(userID)
        var request = request
        let body = try await request.bodyBytes(upTo: options.maxWebhookBytes)
        let callback = MetaCallback(signature: request.headers[.init("X-Hub-Signature-256")!], body: body)
        switch try await services.meta.handle(userID: userID, callback) {
        case .accepted:
            return try JSONResponse.make(["status": "accepted"])
        case .ignored:
            context.logger.warning("unusable Meta notification", metadata: ["tenant": "\(userID)", "bytes": "\(body.count)"])
            return try JSONResponse.make(["status": "ignored"])
        }
    }
}
