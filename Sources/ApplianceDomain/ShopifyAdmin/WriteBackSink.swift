/// Where tenants announce write-back work (the ``ShopifyOutbox``): the jobs themselves are in
/// the orders' journaled ``ShopifySync``; the sink only holds the in-memory queue, rebuilt at boot.
public protocol WriteBackSink: Sendable {
    /// Order `orderID` of tenant `tenantID` has write-backs to do (just journaled).
    func writeBacksQueued(tenantID: Int, orderID: UInt64)
    /// The tenant's held write-backs may go again (a settings change).
    func writeBacksReleased(tenantID: Int)
}
