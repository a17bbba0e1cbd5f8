/// The merchant-facing status of an order.
public enum OrderStatus: String, Codable, Sendable, CaseIterable {
    case pending, confirmed, cancelled, delivered

    /// Whether a merchant may move an order from `self` to `target` by hand
    /// (pending → confirmed | cancelled; confirmed → delivered | cancelled; cancelled → pending;
    /// delivered → confirmed).
    public func allowsManualChange(to target: OrderStatus) -> Bool {
        switch (self, target) {
        case (.pending, .confirmed), (.pending, .cancelled),
             (.confirmed, .delivered), (.confirmed, .cancelled),
             (.cancelled, .pending), (.delivered, .confirmed):
            return true
        default:
            return false
        }
    }

    var index: Int {
        switch self {
        case .pending: 0
        case .confirmed: 1
        case .cancelled: 2
        case .delivered: 3
        }
    }
}
