/// Where a tenant's WhatsApp Web status comes from: the browser module's runtime state (which
/// profile is linked, the QR code on screen), never journaled. ``Tenant/whatsAppStatus`` asks
/// it when the tenant's provider is `web`; without one (the module is not wired) the status
/// says WhatsApp Web is unavailable.
public protocol WebLinkStatusSource: Sendable {
    /// The tenant's current WhatsApp Web status (`provider: web`). Cheap and non-blocking: a
    /// tenant actor calls it synchronously.
    func webLinkStatus(tenantID: Int) -> WhatsAppStatus
}
