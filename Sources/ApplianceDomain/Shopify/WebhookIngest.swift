import Foundation

/// Takes a Shopify delivery from the HTTP edge to durable state: finds the tenant, checks the
/// signature over the raw bytes, parses the payload once, merges it on the tenant's actor
/// (which also drops a repeated delivery id; an order waits in the tenant's inbox and is merged
/// with the orders delivered beside it in one visit), and waits for the journal to sync before
/// the caller acknowledges.
///
/// An authenticated body that cannot be used (not JSON, no integer id, unknown topic) is kept
/// as a rejected delivery and acknowledged, because Shopify would retry it forever otherwise.
public struct WebhookIngest: Sendable {
    /// What happened to a delivery that was acknowledged.
    public enum Outcome: Sendable, Equatable {
        /// Stored (or it changed nothing: a duplicate or stale delivery).
        case accepted
        /// Kept as a rejected delivery with this reason.
        case rejected(String)
    }

    let registry: TenantRegistry
    let mapper: ShopifyOrderMapper

    public init(registry: TenantRegistry, mapper: ShopifyOrderMapper = ShopifyOrderMapper()) {
        self.registry = registry
        self.mapper = mapper
    }

    /// Handles a delivery for tenant `userID`; returns once the outcome is durable.
    public func handle(userID: Int, _ received: ShopifyDelivery) async throws(DomainError) -> Outcome {
        try await registry.ingestActivity.during { () async throws(DomainError) -> Outcome in try await take(userID: userID, received) }
    }

    func take(userID: Int, _ received: ShopifyDelivery) async throws(DomainError) -> Outcome {
        let tenant = try registry.tenant(userID)
        // Header values are kept (delivery ids, topic, shop domain): capped like payload texts.
        var delivery = received
        delivery.topic = delivery.topic.capped(to: StoredTextLimit.shopify)
        delivery.webhookID = delivery.webhookID.capped(to: StoredTextLimit.shopify)
        delivery.shopDomain = delivery.shopDomain.capped(to: StoredTextLimit.shopify)
        // The secret is read without visiting the tenant's actor; the delivery then makes a single
        // visit, where a repeated delivery id changes nothing.
        guard let secret = tenant.webhookSecret else {
            throw DomainError(.badSignature, "no Shopify webhook secret is set for this account; set shopify_webhook_secret in the settings first")
        }
        guard let signature = delivery.signature, !signature.isEmpty else {
            throw DomainError(.badSignature, "X-Shopify-Hmac-Sha256 header is missing")
        }
        guard ShopifySignature.isValid(body: delivery.body, header: signature, secret: secret) else {
            throw DomainError(.badSignature, "X-Shopify-Hmac-Sha256 does not match the body")
        }
        guard let topicName = delivery.topic, let topic = ShopifyTopic(rawValue: topicName) else {
            let reason = delivery.topic == nil ? "missing X-Shopify-Topic" : "unsupported topic \(delivery.topic!)"
            return try await reject(tenant, delivery, reason)
        }
        guard topic.carriesOrder else {
            let payload: ShopifyFulfillmentPayload
            do {
                payload = try JSONDecoder().decode(ShopifyFulfillmentPayload.self, from: Data(delivery.body))
            } catch {
                return try await reject(tenant, delivery, "fulfillment body is not usable JSON")
            }
            try await tenant.stageFulfillment(payload, webhookID: delivery.webhookID, shopDomain: delivery.shopDomain).durable()
            return .accepted
        }
        let incoming: IncomingOrder
        do {
            incoming = try mapper.map(body: delivery.body, shopDomain: delivery.shopDomain)
        } catch {
            return try await reject(tenant, delivery, error.reason)
        }
        // Through the tenant's inbox: merged with the orders delivered beside it in one visit
        // to the actor, and returned once durable.
        try await tenant.apply(order: incoming, topic: topic, webhookID: delivery.webhookID)
        return .accepted
    }

    func reject(_ tenant: Tenant, _ delivery: ShopifyDelivery, _ reason: String) async throws(DomainError) -> Outcome {
        let commit = try await tenant.stageRejection(topic: delivery.topic, webhookID: delivery.webhookID, reason: reason, bytes: delivery.body.count)
        try await commit.durable()
        return .rejected(reason)
    }
}
