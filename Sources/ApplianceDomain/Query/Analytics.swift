import Foundation

/// A tenant's order and message figures, as the analytics endpoint returns them.
public struct Analytics: Sendable, Equatable {
    /// One tenant-local day.
    public struct Day: Sendable, Equatable {
        /// YYYY-MM-DD in the tenant's timezone.
        public var date: String
        public var orders: Int
        /// Confirmed + delivered orders created that day.
        public var confirmed: Int
        public var cancelled: Int
    }

    public var totalOrders: Int
    public var pending: Int
    public var confirmed: Int
    public var cancelled: Int
    public var delivered: Int
    /// (confirmed + delivered) / total.
    public var confirmationRate: Double
    /// cancelled / total.
    public var cancellationRate: Double
    /// delivered / (confirmed + delivered).
    public var deliverySuccessRate: Double
    /// Cumulative: a read message counts as sent, delivered and read.
    public var sent: Int
    public var delivered_: Int
    public var read: Int
    public var failed: Int
    public var daily: [Day]
}

extension TenantState {
    /// Figures over all orders, with a daily series of the last `days` tenant-local days up to `now`.
    public func analytics(now: Int64, days: Int = 30) -> Analytics {
        let c = statusCounts
        let total = orders.count
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
        var sent = 0, delivered = 0, read = 0, failed = 0
        for i in orders.indices {
            switch orders.messageState(at: i) {
            case .sent: sent += 1
            case .delivered: sent += 1; delivered += 1
            case .read: sent += 1; delivered += 1; read += 1
            case .failed: failed += 1
            default: break
            }
        }
        let tz = TimeZone(identifier: settings.timezone) ?? TimeZone(identifier: "UTC")!
        func localDay(_ ms: Int64) -> Int {
            let offset = tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))
            let local = ms / 1000 + Int64(offset)
            return Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        }
        let today = localDay(now)
        let first = today - days + 1
        var series = [(Int, Int, Int)](repeating: (0, 0, 0), count: days)
        for i in orders.indices {
            let d = localDay(orders.createdAt(at: i)) - first
            guard d >= 0, d < days else { continue }
            let status = orders.status(at: i)
            series[d].0 += 1
            if status == .confirmed || status == .delivered { series[d].1 += 1 }
            if status == .cancelled { series[d].2 += 1 }
        }
        let daily = series.enumerated().map { i, v in
            let (y, m, d) = Timestamp.civilFromDays(first + i)
            let date = String(format: "%04d-%02d-%02d", y, m, d)
            return Analytics.Day(date: date, orders: v.0, confirmed: v.1, cancelled: v.2)
        }
        let confirmed = c[OrderStatus.confirmed.index], deliveredOrders = c[OrderStatus.delivered.index]
        return Analytics(
            totalOrders: total, pending: c[OrderStatus.pending.index], confirmed: confirmed,
            cancelled: c[OrderStatus.cancelled.index], delivered: deliveredOrders,
            confirmationRate: ratio(confirmed + deliveredOrders, total),
            cancellationRate: ratio(c[OrderStatus.cancelled.index], total),
            deliverySuccessRate: ratio(deliveredOrders, confirmed + deliveredOrders),
            sent: sent, delivered_: delivered, read: read, failed: failed, daily: daily)
    }
}
