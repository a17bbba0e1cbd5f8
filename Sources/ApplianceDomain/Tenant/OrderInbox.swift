/// Shopify order deliveries waiting for their tenant's actor: each delivery's task suspends
/// once, and the actor takes every waiting delivery in one visit (``Tenant/drainInbox()``, called by ``Tenant/apply(order:topic:webhookID:)``),
/// instead of each task hopping onto the actor and back and then waiting for its sync.
struct OrderInbox {
    /// One delivery and the task waiting for its outcome.
    struct Item {
        let incoming: IncomingOrder
        let topic: ShopifyTopic
        let webhookID: String?
        /// Resumed exactly once: with the failure at once, or once its record is durable.
        let waiter: UnsafeContinuation<Result<Void, DomainError>, Never>
    }

    var items: [Item] = []
    /// A drain is scheduled or running on the actor.
    var draining = false
}
