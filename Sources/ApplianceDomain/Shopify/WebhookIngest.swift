import Foundation

/// Takes a Shopify delivery from the HTTP edge to durable state: finds the tenant, checks the
/// signature over the raw bytes, parses the payload once, merges it on the tenant's actor
/// (which also drops a repeated delivery id; an order waits in the tenant's inbox and is merged
/// with the orders delivered beside it in one visit), and waits for the journal to sync before
/// the caller acknowledges. ``offer(userID:_:done:)`` does the same for the common delivery
/// without a task waiting, for an HTTP edge that answers from its event loop.
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

    /// Takes the delivery without a task waiting, when it is the common case: a signed order
    /// delivery that parses, for a running tenant. `done` is then called exactly once, when the
    /// order is durable or has failed (on the journal's flusher thread: it must be short), and
    /// the answer is 200 on success. Anything else (a refusal, a rejected body, a fulfillment)
    /// returns false having stored nothing; the caller then hands the same delivery to
    /// ``handle(userID:_:)``, which gives the full answer.
    public func offer(userID: Int, _ received: ShopifyDelivery,
                      done: @escaping @Sendable (Result<Void, DomainError>) -> Void) -> Bool {
        guard case .order(let tenant, let incoming, let topic, let webhookID)? = try? intake(userID: userID, received) else { return false }
        let activity = registry.ingestActivity
        activity.begin()
        tenant.submit(order: incoming, topic: topic, webhookID: webhookID) { result in
            activity.end()
            done(result)
        }
        return true
    }

    func take(userID: Int, _ received: ShopifyDelivery) async throws(DomainError) -> Outcome {
        switch try intake(userID: userID, received) {
        case .order(let tenant, let incoming, let topic, let webhookID):
            // Through the tenant's inbox: merged with the orders delivered beside it in one visit
            // to the actor, and returned once durable.
            try await tenant.apply(order: incoming, topic: topic, webhookID: webhookID)
            return .accepted
        case .fulfillment(let tenant, let delivery):
            let payload: ShopifyFulfillmentPayload
            do {
                payload = try JSONDecoder().decode(ShopifyFulfillmentPayload.self, from: Data(delivery.body))
            } catch {
                return try await reject(tenant, delivery, "fulfillment body is not usable JSON")
            }
            try await tenant.stageFulfillment(payload, webhookID: delivery.webhookID, shopDomain: delivery.shopDomain).durable()
            return .accepted
        case .rejection(let tenant, let delivery, let reason):
            return try await reject(tenant, delivery, reason)
        }
    }

    /// What an authenticated delivery comes to before anything is stored.
    enum Intake {
        /// An order to merge.
        case order(Tenant, IncomingOrder, ShopifyTopic, webhookID: String?)
        /// A fulfillment topic (its body is read by its own decoder).
        case fulfillment(Tenant, ShopifyDelivery)
        /// An authenticated body that cannot be used, kept as a rejected delivery.
        case rejection(Tenant, ShopifyDelivery, reason: String)
    }

    /// Finds the tenant, checks the signature over the raw bytes and parses an order body once;
    /// stores nothing. Throws for a delivery that is refused (unknown or stopped tenant, no
    /// secret, bad or missing signature).
    func intake(userID: Int, _ received: ShopifyDelivery) throws(DomainError) -> Intake {
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
            return .rejection(tenant, delivery, reason: reason)
        }
        guard topic.carriesOrder else { return .fulfillment(tenant, delivery) }
        do {
            return .order(tenant, try mapper.map(body: delivery.body, shopDomain: delivery.shopDomain), topic, webhookID: delivery.webhookID)
        } catch {
            return .rejection(tenant, delivery, reason: error.reason)
        }
    }

    func reject(_ tenant: Tenant, _ delivery: ShopifyDelivery, _ reason: String) async throws(DomainError) -> Outcome {
        let commit = try await tenant.stageRejection(topic: delivery.topic, webhookID: delivery.webhookID, reason: reason, bytes: delivery.body.count)
        try await commit.durable()
        return .rejected(reason)
    }
}
