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

    func tenant(_ context: AppRequestContext) throws -> Tenant {
        guard let raw = context.parameters.get("user_id"), let id = Int(raw), id > 0 else {
            throw APIError(status: .notFound, code: "not_found", message: "no such tenant")
        }
        return try services.registry.tenant(id)
    }

    /// Meta's subscription handshake: echo `hub.challenge` when `hub.verify_token` matches.
    func verify(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try tenant(context)
        let q = request.uri.queryParameters
        let expected = await tenant.settings.cloud.verifyToken
        guard q["hub.mode"] == "subscribe", let expected, let token = q["hub.verify_token"],
              HMACSHA256.constantTimeEquals(Array(String(token).utf8), Array(expected.utf8)) else {
            throw APIError(status: .forbidden, code: "forbidden", message: "hub.verify_token does not match cloud.verify_token")
        }
        let challenge = q["hub.challenge"].map(String.init) ?? ""
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: .init(string: challenge)))
    }

    /// A signed notification: statuses of our messages and customers' replies.
    func receive(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let tenant = try tenant(context)
        var request = request
        let body = try await request.bodyBytes(upTo: options.maxWebhookBytes)
        guard let secret = await tenant.settings.cloud.appSecret else {
            throw APIError(status: .unauthorized, code: "bad_signature", message: "no cloud.app_secret is set for this account")
        }
        guard MetaSignature.isValid(body: body, header: request.headers[.init("X-Hub-Signature-256")!], appSecret: secret) else {
            throw APIError(status: .unauthorized, code: "bad_signature", message: "X-Hub-Signature-256 is missing or does not match the body")
        }
        guard let payload = try? JSONDecoder().decode(MetaWebhookPayload.self, from: Data(body)) else {
            context.logger.warning("unusable Meta notification", metadata: ["tenant": "\(tenant.id)", "bytes": "\(body.count)"])
            return try JSONResponse.make(["status": "ignored"])
        }
        var commits: [Tenant.Commit] = []
        for status in payload.statuses {
            guard let id = status.id, let value = status.status else { continue }
            let error = status.errors?.first.map { "WhatsApp error \($0.code ?? 0): \($0.title ?? $0.message ?? "failed")" }
            if let commit = try await tenant.applyMessageStatus(messageID: id, status: value, error: error) { commits.append(commit) }
        }
        for message in payload.messages {
            guard let from = message.from else { continue }
            commits.append(try await tenant.applyReply(messageID: message.id, from: from, text: message.replyText,
                                                       payload: message.payload, contextID: message.context?.id))
        }
        for commit in commits { try await commit.durable() }
        return try JSONResponse.make(["status": "accepted"])
    }
}
