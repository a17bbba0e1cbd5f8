/// A change pushed to a tenant's live dashboards.
public struct LiveEvent: Sendable {
    public enum Kind: String, Sendable {
        case orderCreated = "order.created"
        case orderUpdated = "order.updated"
    }

    public var kind: Kind
    public var order: Order
    /// The journal sequence number of the change (increasing per tenant).
    public var seq: UInt64
    public var tenantID: Int

    public init(kind: Kind, order: Order, seq: UInt64, tenantID: Int) {
        self.kind = kind
        self.order = order
        self.seq = seq
        self.tenantID = tenantID
    }
}
