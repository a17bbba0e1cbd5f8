/// A Shopify order delivery waiting in its tenant's inbox (``Tenant/apply(order:topic:webhookID:)``)
/// for the actor, which takes every waiting delivery in one visit (``Tenant/drainInbox()``)
/// instead of each task hopping onto the actor and back and then waiting for its sync.
struct PendingOrder {
    let incoming: IncomingOrder
    let topic: ShopifyTopic
    let webhookID: String?
    /// Resumed exactly once: with the failure at once, or once its record is durable.
    let waiter: UnsafeContinuation<Result<Void, DomainError>, Never>
}
