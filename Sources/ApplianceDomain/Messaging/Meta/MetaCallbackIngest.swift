import Foundation

/// Takes a Meta Cloud API callback from the HTTP edge to durable state, the way
/// ``WebhookIngest`` takes a Shopify delivery: finds the tenant, checks `X-Hub-Signature-256`
/// over the raw bytes with the tenant's app secret, decodes the notification once, applies its
/// message statuses and customer replies in the tenant's actor, and returns once every change
/// is durable.
///
/// A signed notification that cannot be decoded is acknowledged and ignored (Meta would
/// retry it for days otherwise).
public struct MetaCallbackIngest: Sendable {
    /// What happened to a notification that was acknowledged.
    public enum Outcome: Sendable, Equatable {
        /// Its statuses and replies are durable (or changed nothing).
        case accepted
        /// Signed but not a usable notification.
        case ignored
    }

    let registry: TenantRegistry

    public init(registry: TenantRegistry) {
        self.registry = registry
    }

    /// Meta's subscription handshake for tenant `userID`: the challenge to echo when `mode` is
    /// `subscribe` and `token` matches the tenant's `cloud.verify_token`.
    /// - Throws: `forbidden` when the token does not match (or none is set).
    public func verify(userID: Int, mode: String?, token: String?, challenge: String?) async throws(DomainError) -> String {
        let tenant = try registry.tenant(userID)
        let expected = await tenant.settings.cloud.verifyToken
        guard mode == "subscribe", let expected, let token,
              HMACSHA256.constantTimeEquals(Array(token.utf8), Array(expected.utf8)) else {
            throw DomainError(.forbidden, "hub.verify_token does not match cloud.verify_token")
        }
        return challenge ?? ""
    }

    /// Handles a notification for tenant `userID`; returns once its changes are durable.
    public func handle(userID: Int, _ callback: MetaCallback) async throws(DomainError) -> Outcome {
        let tenant = try registry.tenant(userID)
        guard let secret = await tenant.settings.cloud.appSecret else {
            throw DomainError(.badSignature, "no cloud.app_secret is set for this account")
        }
        guard MetaSignature.isValid(body: callback.body, header: callback.signature, appSecret: secret) else {
            throw DomainError(.badSignature, "X-Hub-Signature-256 is missing or does not match the body")
        }
        guard let payload = try? JSONDecoder().decode(MetaWebhookPayload.self, from: Data(callback.body)) else {
            return .ignored
        }
        // Every change is staged first; the last one's commit covers all before it.
        var last: Tenant.Commit?
        for status in payload.statuses {
            guard let id = status.id, let value = status.status else { continue }
            let error = status.errors?.first.map { "WhatsApp error \($0.code ?? 0): \($0.title ?? $0.message ?? "failed")" }
            if let commit = try await tenant.stageMessageStatus(messageID: id, status: value, error: error) { last = commit }
        }
        for message in payload.messages {
            guard let from = message.from else { continue }
            last = try await tenant.stageReply(messageID: message.id, from: from, text: message.replyText,
                                               payload: message.payload, contextID: message.context?.id)
        }
        try await last?.durable()
        return .accepted
    }
}
