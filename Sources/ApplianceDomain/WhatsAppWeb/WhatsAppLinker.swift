/// The merchant's WhatsApp Web actions as the browser module implements them (the HTTP layer
/// reaches them through ``WhatsAppActions``).
public protocol WhatsAppLinker: Sendable {
    /// Starts linking the tenant's WhatsApp (browser on the tenant's profile, QR code) unless a
    /// link is in progress or the tenant is linked; answers the status at once.
    func connect(_ tenant: Tenant) async throws(DomainError) -> WhatsAppStatus

    /// Ends any browser of the tenant and removes its profile (the phone must link again).
    func disconnect(_ tenant: Tenant) async -> WhatsAppStatus

    /// Queues `text` to `phone` (E.164) from the tenant's linked WhatsApp.
    /// - Throws: `conflict` when the tenant is not connected.
    func sendTest(_ tenant: Tenant, to phone: String, text: String) async throws(DomainError)
}
