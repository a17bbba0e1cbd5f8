/// Identifies a confirmation job: one per order of a tenant.
public struct JobKey: Hashable, Sendable, CustomStringConvertible {
    public var tenantID: Int32
    public var orderID: UInt64

    public init(tenantID: Int, orderID: UInt64) {
        self.tenantID = Int32(tenantID)
        self.orderID = orderID
    }

    public var description: String { "\(tenantID)/\(orderID)" }
}
