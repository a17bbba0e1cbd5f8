import ApplianceDomain

/// What the order routes need from the domain: one tenant's orders, read and changed. A change
/// returns only once it is durable, so a route can answer as soon as the call returns. The app
/// uses the tenants themselves (``TenantRegistry``); route tests may use an in-memory one.
public protocol OrderRepository: Sendable {
    /// A page of orders, newest first.
    func orders(_ query: OrderQuery, tenantID: Int) async throws(DomainError) -> OrderPage
    /// One order with its timeline, or `notFound`.
    func order(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order
    /// A manual status change (`conflict` when the rules do not allow it); durable on return.
    func changeStatus(of id: UInt64, to status: OrderStatus, tenantID: Int) async throws(DomainError) -> Order
    /// Queues the confirmation once more; durable on return.
    func resend(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order
    /// Authenticated deliveries that could not be used, newest first.
    func rejectedDeliveries(tenantID: Int) async throws(DomainError) -> [RejectedDelivery]
}
