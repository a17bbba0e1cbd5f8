import ApplianceCoding
import ApplianceDomain

/// The app's repositories are the tenants themselves: each call finds the tenant and makes one
/// visit to its actor.
extension TenantRegistry: OrderRepository, SettingsRepository {
    public func orders(_ query: OrderQuery, tenantID: Int) async throws(DomainError) -> OrderPage {
        try await tenant(tenantID).orders(query)
    }

    public func order(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order {
        try await tenant(tenantID).order(id)
    }

    public func changeStatus(of id: UInt64, to status: OrderStatus, tenantID: Int) async throws(DomainError) -> Order {
        try await tenant(tenantID).changeStatus(of: id, to: status)
    }

    public func resend(_ id: UInt64, tenantID: Int) async throws(DomainError) -> Order {
        try await tenant(tenantID).resend(id)
    }

    public func rejectedDeliveries(tenantID: Int) async throws(DomainError) -> [RejectedDelivery] {
        try await tenant(tenantID).rejectedDeliveries()
    }

    public func settings(tenantID: Int) async throws(DomainError) -> (Settings, shopDomain: String?) {
        let tenant = try tenant(tenantID)
        return (await tenant.settings, await tenant.shopDomain)
    }

    public func updateSettings(_ patch: [String: JSONValue], tenantID: Int) async throws(DomainError) -> (Settings, shopDomain: String?) {
        let tenant = try tenant(tenantID)
        let settings = try await tenant.updateSettings(patch)
        return (settings, await tenant.shopDomain)
    }

    public func analytics(days: Int, tenantID: Int) async throws(DomainError) -> Analytics {
        try await tenant(tenantID).analytics(days: days)
    }

    public func previewMessage(template: String?, mode: Settings.ConfirmationMode?, tenantID: Int) async throws(DomainError) -> MessagePreview {
        try await tenant(tenantID).previewMessage(template: template, mode: mode)
    }
}
