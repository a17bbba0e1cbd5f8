/// A page request over a tenant's orders, newest first.
public struct OrderQuery: Sendable {
    public var limit: Int
    /// Continue below this arrival position (decoded from a cursor).
    public var before: Int?
    public var status: OrderStatus?
    /// Case-insensitive search over order number, customer name, email and phone.
    public var text: String?
    /// Only orders the appliance changed at or after this time (ms since 1970): a dashboard's
    /// catch-up after its live connection was down.
    public var updatedSince: Int64?

    public init(limit: Int = 50, before: Int? = nil, status: OrderStatus? = nil, text: String? = nil,
                updatedSince: Int64? = nil) {
        self.updatedSince = updatedSince
        self.limit = limit
        self.before = before
        self.status = status
        self.text = text
    }
}

/// One page of orders.
public struct OrderPage: Sendable {
    public var orders: [Order]
    /// The arrival position to continue below, or nil on the page holding the oldest match.
    public var nextBefore: Int?

    public init(orders: [Order], nextBefore: Int?) {
        self.orders = orders
        self.nextBefore = nextBefore
    }
}

extension TenantState {
    /// The page of orders matching `query`, newest first by first arrival.
    public func page(_ query: OrderQuery) -> OrderPage {
        let search = OrderSearch(query.text)
        // Status and time are read off the packed row, and so is the text where it can be.
        func matches(_ pos: Int) -> Bool {
            if let status = query.status, orders.status(at: pos) != status { return false }
            if let since = query.updatedSince, orders.updatedAt(at: pos) < since { return false }
            return search?.matches(orders, at: pos) ?? true
        }
        var result: [Order] = []
        result.reserveCapacity(query.limit)
        var pos = min(query.before ?? orders.count, orders.count) - 1
        var lastTaken: Int?
        while pos >= 0 {
            if matches(pos) {
                let o = orders[pos]
                if result.count == query.limit { return OrderPage(orders: result, nextBefore: lastTaken) }
                result.append(o)
                lastTaken = pos
            }
            pos -= 1
        }
        return OrderPage(orders: result, nextBefore: nil)
    }
}

import Foundation
