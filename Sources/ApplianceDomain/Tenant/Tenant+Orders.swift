/// Reading and changing orders on the merchant's behalf.
extension Tenant {
    /// A page of orders, newest first.
    public func orders(_ query: OrderQuery) -> OrderPage {
        var page = state.page(query)
        for i in page.orders.indices { page.orders[i] = presented(page.orders[i]) }
        return page
    }

    /// The order with Shopify id `id`, or `notFound`.
    public func order(_ id: UInt64) throws(DomainError) -> Order {
        guard let o = state.order(id) else { throw DomainError(.notFound, "no such order") }
        return presented(o)
    }

    /// How many orders the tenant has.
    public var orderCount: Int { state.orders.count }

    /// Changes an order's status by hand, within the allowed transitions. Setting the current
    /// status again changes nothing.
    func stageStatus(of id: UInt64, to target: OrderStatus) throws(DomainError) -> (Order, Commit) {
        guard var order = state.order(id) else { throw DomainError(.notFound, "no such order") }
        if order.status == target { return (order, noChange()) }
        guard order.status.allowsManualChange(to: target) else {
            throw DomainError(.conflict, "an order cannot go from \(order.status.rawValue) to \(target.rawValue)")
        }
        let now = context.clock.now()
        order.status = target
        order.updatedAt = now
        order.addEvent(OrderEvent(at: now, type: "status", status: target, by: "merchant"))
        if target == .cancelled, order.message.state == .scheduled {
            order.message.state = .skipped
            order.message.lastError = "order cancelled before sending"
        }
        // The write-backs go in the same record as the change that causes them.
        ShopifyWriteBackRules.queue(&order, becoming: target, by: .merchant, settings: state.settings.shopify)
        let seq = try write(.order(order, webhook: nil, shop: nil))
        stageLive(.orderUpdated, order, seq: seq)
        return (presented(order), commit(seq))
    }

    /// Queues the confirmation once more for a `failed`, `unknown` or `skipped` message.
    func stageResend(_ id: UInt64) throws(DomainError) -> (Order, Commit) {
        guard var order = state.order(id) else { throw DomainError(.notFound, "no such order") }
        guard [.failed, .unknown, .skipped].contains(order.message.state) else {
            throw DomainError(.conflict, "only a failed, unknown or skipped message can be resent (this one is \(order.message.state.rawValue))")
        }
        let now = context.clock.now()
        order.message.state = .scheduled
        order.message.scheduledAt = now
        order.message.lastError = nil
        order.message.provider = state.settings.whatsappProvider.rawValue
        order.updatedAt = now
        order.addEvent(OrderEvent(at: now, type: "resend", by: "merchant"))
        let seq = try write(.order(order, webhook: nil, shop: nil))
        stageLive(.orderUpdated, order, seq: seq)
        return (presented(order), commit(seq))
    }

    /// Order and message figures with a daily series in the tenant's timezone.
    public func analytics(days: Int = 30) -> Analytics { state.analytics(now: context.clock.now(), days: days) }
}
