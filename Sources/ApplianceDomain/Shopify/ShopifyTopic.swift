/// The webhook topics the appliance acts on.
public enum ShopifyTopic: String, Sendable, CaseIterable {
    case ordersCreate = "orders/create"
    case ordersUpdated = "orders/updated"
    case ordersCancelled = "orders/cancelled"
    case ordersFulfilled = "orders/fulfilled"
    case fulfillmentsCreate = "fulfillments/create"
    case fulfillmentsUpdate = "fulfillments/update"

    /// Whether the body is an order (rather than a fulfillment).
    public var carriesOrder: Bool {
        switch self {
        case .fulfillmentsCreate, .fulfillmentsUpdate: false
        default: true
        }
    }
}
