/// A Shopify order delivery waiting in its tenant's inbox (``Tenant/submit(order:topic:webhookID:done:)``)
/// for the actor, which takes every waiting delivery in one visit (``Tenant/drainInbox()``)
/// instead of each task hopping onto the actor and back and then waiting for its sync.
struct PendingOrder {
    let incoming: IncomingOrder
    let topic: ShopifyTopic
    let webhookID: String?
    /// Called exactly once: with the failure at once (on the draining task), or once its record
    /// is durable (on the journal's flusher thread), so it must be short.
    let done: @Sendable (Result<Void, DomainError>) -> Void
}
