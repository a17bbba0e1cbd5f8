import Synchronization

/// Applying Shopify deliveries.
extension Tenant {
    /// The Shopify signing secret, if the merchant has set one (no visit to the actor: a copy
    /// kept in step with the state's settings).
    public nonisolated var webhookSecret: String? { signingSecret.withLock { $0 } }

    /// Whether delivery `webhookID` was already applied.
    public func hasApplied(webhookID: String) -> Bool { state.webhooks.contains(webhookID) }

    /// Merges an order delivery. A repeated delivery id or a stale delivery changes nothing.
    func stageOrder(_ incoming: IncomingOrder, topic: ShopifyTopic, webhookID: String?) throws(DomainError) -> Commit {
        // The delivery id is hashed once, for the repeat check and for the log.
        let digest = webhookID.map(WebhookLog.Digest.init)
        if let digest, state.webhooks.contains(digest) { return noChange() }
        let now = context.clock.now()
        let existing = state.order(incoming.id)
        guard var merged = OrderMerge.merge(existing: existing, incoming: incoming, topic: topic, settings: state.settings, now: now)
        else { return noChange() }
        // Already due while the tenant's jobs are held (CONTRACT "Messages"): it says why in this
        // same record and waits for the release, instead of a job that would fire at once only
        // to journal the same reason in a second record (``isParked(_:)``).
        if let held, merged.message.state == .scheduled, (merged.message.scheduledAt ?? 0) <= now {
            merged.message.lastError = held
        }
        let seq = try write(.order(merged, webhook: webhookID, shop: incoming.shopDomain), webhookDigest: digest)
        stageLive(existing == nil ? .orderCreated : .orderUpdated, merged, seq: seq)
        return commit(seq)
    }

    /// Applies a fulfillment delivery (a shipment reported delivered marks the order delivered).
    func stageFulfillment(_ payload: ShopifyFulfillmentPayload, webhookID: String?, shopDomain: String?) throws(DomainError) -> Commit {
        if let webhookID, state.webhooks.contains(webhookID) { return noChange() }
        guard let orderID = payload.orderID?.value, let existing = state.order(orderID),
              let updated = OrderMerge.fulfillment(existing: existing, shipmentStatus: payload.shipmentStatus, now: context.clock.now())
        else { return noChange() }
        let seq = try write(.order(updated, webhook: webhookID, shop: shopDomain))
        stageLive(.orderUpdated, updated, seq: seq)
        return commit(seq)
    }

    /// Keeps an authenticated delivery that cannot be used, with the reason (once per delivery id).
    func stageRejection(topic: String?, webhookID: String?, reason: String, bytes: Int) throws(DomainError) -> Commit {
        if let webhookID, state.webhooks.contains(webhookID) { return noChange() }
        let delivery = RejectedDelivery(receivedAt: context.clock.now(), topic: topic, webhookID: webhookID, reason: reason, bytes: bytes)
        return commit(try write(.rejected(delivery)))
    }

    /// Rejected deliveries, newest first.
    public func rejectedDeliveries() -> [RejectedDelivery] { state.rejected.reversed() }
}
