import ApplianceDomain

/// The API shape of an Order (CONTRACT "Order"): `id` as a string, money as decimal strings,
/// times as ISO 8601 UTC, absent values as `null`.
struct OrderJSON: Encodable {
    let order: Order
    /// Include the timeline (`events`).
    var withEvents = false

    enum Keys: String, CodingKey {
        case id, order_number, customer_name, phone, email, total_price, currency, presentment_total_price
        case presentment_currency, status, slot, test, created_at, updated_at, message, events, shopify_sync
    }

    enum SyncKeys: String, CodingKey { case state, last_error }

    enum MessageKeys: String, CodingKey { case state, scheduled_at, attempts, last_error, provider }
    enum EventKeys: String, CodingKey { case at, type, status, by, text, due_at, action, result, detail }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(String(order.id), forKey: .id)
        try c.encode(order.number, forKey: .order_number)
        try c.encode(order.customerName, forKey: .customer_name)
        try c.encode(order.phone, forKey: .phone)
        try c.encode(order.email, forKey: .email)
        try c.encode(order.totalPrice, forKey: .total_price)
        try c.encode(order.currency, forKey: .currency)
        try c.encode(order.presentmentTotal, forKey: .presentment_total_price)
        try c.encode(order.presentmentCurrency, forKey: .presentment_currency)
        try c.encode(order.status.rawValue, forKey: .status)
        try c.encode(order.slot, forKey: .slot)
        try c.encode(order.test, forKey: .test)
        try c.encode(Timestamp.format(order.createdAt), forKey: .created_at)
        try c.encode(Timestamp.format(order.updatedAt), forKey: .updated_at)
        var m = c.nestedContainer(keyedBy: MessageKeys.self, forKey: .message)
        try m.encode(order.message.state.rawValue, forKey: .state)
        try m.encode(order.message.scheduledAt.map(Timestamp.format), forKey: .scheduled_at)
        try m.encode(order.message.attempts, forKey: .attempts)
        try m.encode(order.message.lastError, forKey: .last_error)
        try m.encode(order.message.provider, forKey: .provider)
        var sync = c.nestedContainer(keyedBy: SyncKeys.self, forKey: .shopify_sync)
        try sync.encode((order.shopifySync?.state ?? .off).rawValue, forKey: .state)
        try sync.encode(order.shopifySync?.lastError, forKey: .last_error)
        if withEvents {
            var list = c.nestedUnkeyedContainer(forKey: .events)
            for (index, event) in order.timeline.enumerated() {
                var e = list.nestedContainer(keyedBy: EventKeys.self)
                try e.encode(Timestamp.format(event.at), forKey: .at)
                try e.encode(event.type, forKey: .type)
                try e.encodeIfPresent(event.status?.rawValue, forKey: .status)
                try e.encodeIfPresent(event.by, forKey: .by)
                if event.type == "shopify_sync" {
                    // {type: "shopify_sync", action: tag|untag|cancel, result: done|failed, detail?}
                    try e.encodeIfPresent(event.action, forKey: .action)
                    try e.encodeIfPresent(event.result, forKey: .result)
                    try e.encodeIfPresent(event.text, forKey: .detail)
                } else {
                    try e.encodeIfPresent(event.text, forKey: .text)
                }
                if index == 0, let due = order.message.scheduledAt {
                    // The confirmation's due time, right after `received`.
                    var s = list.nestedContainer(keyedBy: EventKeys.self)
                    try s.encode(Timestamp.format(order.arrivedAt), forKey: .at)
                    try s.encode("scheduled", forKey: .type)
                    try s.encode(Timestamp.format(due), forKey: .due_at)
                }
            }
        }
    }
}
