/// The rules that merge one Shopify delivery into what a tenant knows about the order
/// (CONTRACT "Shopify deliveries"): the topic decides the status first (cancelled →
/// `cancelled`, fulfilled → `delivered`), else a `cancelled_at` cancels; `orders/create` never
/// changes the status of an order that exists; a delivery older than the stored `updated_at`
/// changes nothing.
public enum OrderMerge {
    /// The order after applying `incoming`, or nil when the delivery changes nothing.
    public static func merge(existing: Order?, incoming: IncomingOrder, topic: ShopifyTopic, settings: Settings, now: Int64) -> Order? {
        guard let existing else { return create(incoming, topic: topic, settings: settings, now: now) }
        if let updated = incoming.updatedAt, updated < existing.shopifyUpdatedAt { return nil }

        var order = existing
        order.number = incoming.number
        order.customerName = incoming.customerName
        order.phone = incoming.phone
        order.phoneRaw = incoming.phoneRaw
        order.phoneCountry = incoming.phoneCountry
        order.email = incoming.email
        order.totalPrice = incoming.totalPrice
        order.currency = incoming.currency
        order.presentmentTotal = incoming.presentmentTotal
        order.presentmentCurrency = incoming.presentmentCurrency
        order.slot = incoming.slot
        order.test = incoming.test
        if let created = incoming.createdAt { order.createdAt = created }
        order.shopifyUpdatedAt = max(existing.shopifyUpdatedAt, incoming.updatedAt ?? existing.shopifyUpdatedAt)

        // A cancellation that only echoes the appliance's own `orderCancel` changes nothing
        // (CONTRACT "Shopify write-back": no status flip from our own write-back).
        if let target = statusFromTopic(topic, incoming: incoming, existing: existing.status), target != existing.status,
           !ShopifyWriteBackRules.isEchoOfOwnCancel(existing, target: target) {
            order.status = target
            order.addEvent(OrderEvent(at: now, type: "status", status: target, by: "shopify"))
        }
        if order.status == .cancelled, order.message.state == .scheduled {
            order.message.state = .skipped
            order.message.lastError = "order cancelled before sending"
        } else if order.status == .pending, order.message.state == .skipped, order.message.attempts == 0,
                  order.phone != nil, !order.test, existing.phone == nil {
            // A phone became usable: the confirmation can go out after all.
            order.message = OrderMessage(state: .scheduled, scheduledAt: settings.scheduledAt(createdAt: order.createdAt, now: now),
                                         provider: settings.whatsappProvider.rawValue)
        } else if order.message.state == .skipped, order.phone == nil, order.message.attempts == 0, let problem = incoming.phoneProblem {
            order.message.lastError = problem
        }
        var comparable = order
        comparable.updatedAt = existing.updatedAt
        comparable.shopifyUpdatedAt = existing.shopifyUpdatedAt
        if comparable == existing { return order.shopifyUpdatedAt == existing.shopifyUpdatedAt ? nil : stamp(order, now) }
        return stamp(order, now)
    }

    static func stamp(_ order: Order, _ now: Int64) -> Order {
        var o = order
        o.updatedAt = now
        return o
    }

    static func statusFromTopic(_ topic: ShopifyTopic, incoming: IncomingOrder, existing: OrderStatus?) -> OrderStatus? {
        switch topic {
        case .ordersCancelled: return .cancelled
        case .ordersFulfilled: return .delivered
        case .ordersCreate: return existing == nil ? (incoming.cancelled ? .cancelled : .pending) : nil
        case .ordersUpdated: return incoming.cancelled ? .cancelled : (existing == nil ? .pending : nil)
        case .fulfillmentsCreate, .fulfillmentsUpdate: return nil
        }
    }

    static func create(_ incoming: IncomingOrder, topic: ShopifyTopic, settings: Settings, now: Int64) -> Order {
        let status = statusFromTopic(topic, incoming: incoming, existing: nil) ?? .pending
        let createdAt = incoming.createdAt ?? now
        var message: OrderMessage
        if incoming.test {
            message = OrderMessage(state: .skipped, lastError: "test order: not messaged")
        } else if status == .cancelled {
            message = OrderMessage(state: .skipped, lastError: "order cancelled before sending")
        } else if status == .delivered {
            message = OrderMessage(state: .skipped, lastError: "order already fulfilled")
        } else if incoming.phone == nil {
            message = OrderMessage(state: .skipped, lastError: incoming.phoneProblem ?? "no usable phone number")
        } else {
            message = OrderMessage(state: .scheduled, scheduledAt: settings.scheduledAt(createdAt: createdAt, now: now))
        }
        message.provider = settings.whatsappProvider.rawValue
        return Order(
            id: incoming.id, number: incoming.number, customerName: incoming.customerName, phone: incoming.phone,
            phoneRaw: incoming.phoneRaw, phoneCountry: incoming.phoneCountry, email: incoming.email,
            totalPrice: incoming.totalPrice, currency: incoming.currency, presentmentTotal: incoming.presentmentTotal,
            presentmentCurrency: incoming.presentmentCurrency, status: status, slot: incoming.slot, test: incoming.test,
            createdAt: createdAt, shopifyUpdatedAt: incoming.updatedAt ?? createdAt, arrivedAt: now, updatedAt: now,
            message: message, events: status == .pending ? nil : [OrderEvent(at: now, type: "status", status: status, by: "shopify")])
    }

    /// Applies a fulfillment delivery: a shipment reported `delivered` makes the order delivered.
    public static func fulfillment(existing: Order, shipmentStatus: String?, now: Int64) -> Order? {
        guard shipmentStatus?.lowercased() == "delivered", existing.status != .delivered else { return nil }
        var o = existing
        o.status = .delivered
        o.addEvent(OrderEvent(at: now, type: "status", status: .delivered, by: "shopify", text: "shipment delivered"))
        if o.message.state == .scheduled {
            o.message.state = .skipped
            o.message.lastError = "order delivered before sending"
        }
        return stamp(o, now)
    }
}
