import ApplianceDomain

/// The API shape of analytics (CONTRACT): counts, rates as fractions 0..1, cumulative message
/// counts and the daily series.
struct AnalyticsJSON: Encodable {
    let a: Analytics

    enum Keys: String, CodingKey {
        case total_orders, pending, confirmed, cancelled, delivered, confirmation_rate, cancellation_rate
        case delivery_success_rate, messages, daily
    }

    struct Messages: Encodable { let sent, delivered, read, failed: Int }
    struct Day: Encodable { let date: String; let orders, confirmed, cancelled: Int }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(a.totalOrders, forKey: .total_orders)
        try c.encode(a.pending, forKey: .pending)
        try c.encode(a.confirmed, forKey: .confirmed)
        try c.encode(a.cancelled, forKey: .cancelled)
        try c.encode(a.delivered, forKey: .delivered)
        try c.encode(a.confirmationRate, forKey: .confirmation_rate)
        try c.encode(a.cancellationRate, forKey: .cancellation_rate)
        try c.encode(a.deliverySuccessRate, forKey: .delivery_success_rate)
        try c.encode(Messages(sent: a.sent, delivered: a.delivered_, read: a.read, failed: a.failed), forKey: .messages)
        try c.encode(a.daily.map { Day(date: $0.date, orders: $0.orders, confirmed: $0.confirmed, cancelled: $0.cancelled) }, forKey: .daily)
    }
}
