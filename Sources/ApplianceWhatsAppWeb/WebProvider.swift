import ApplianceDomain

/// The `web` provider: sends each confirmation from the tenant's linked WhatsApp through its
/// browser (``WhatsAppWeb``), paced per tenant (the dispatcher asks ``earliestSend(tenantID:now:)``
/// before each attempt).
public struct WebProvider: MessageProvider, SendPacing {
    let web: WhatsAppWeb

    public var name: String { "web" }

    public func send(_ message: OutboundMessage, settings: Settings) async -> SendOutcome {
        await web.send(message)
    }

    public func earliestSend(tenantID: Int, now: Int64) async -> Int64? {
        web.pacing.earliest(tenantID: tenantID, now: now)
    }
}
