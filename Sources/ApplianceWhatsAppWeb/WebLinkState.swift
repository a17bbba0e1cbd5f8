import ApplianceDomain

/// A tenant's WhatsApp Web link as this server has seen it since it started (runtime state,
/// never journaled: the truth is the profile folder and what WhatsApp Web shows in it).
public enum WebLinkState: Sendable, Equatable {
    /// Not looked at since the start: `linking` when the tenant has a saved profile (until the
    /// first health check), else `disconnected`.
    case unknown
    /// `connect` started: the browser is starting or WhatsApp Web is loading.
    case linking
    /// A QR code is on screen: its PNG (base64) and when WhatsApp will replace it (ms).
    case qr(png: String, expiresAt: Int64)
    /// Logged in, last seen so at `verifiedAt` (ms).
    case connected(verifiedAt: Int64)
    /// The saved profile is logged out (the phone unlinked it, or WhatsApp expired it).
    case expired(String)
    /// Not linked: never, disconnected, or a QR code went unscanned (with why).
    case disconnected(String?)
    /// WhatsApp Web could not be opened (the browser did not start, the page broke).
    case error(String)

    static let notLinked = "Not linked yet: click Connect and scan the QR code with WhatsApp on your phone (Linked devices)."
    static let checking = "Checking the saved WhatsApp Web session…"

    /// The status shown to the merchant; `hasProfile` says whether a saved profile exists.
    func status(hasProfile: Bool) -> WhatsAppStatus {
        switch self {
        case .unknown:
            return hasProfile ? WhatsAppStatus(provider: .web, state: .linking, detail: Self.checking)
                              : WhatsAppStatus(provider: .web, state: .disconnected, detail: Self.notLinked)
        case .linking:
            return WhatsAppStatus(provider: .web, state: .linking)
        case .qr(let png, let expiresAt):
            return WhatsAppStatus(provider: .web, state: .qr, qrPNG: png, qrExpiresAt: expiresAt)
        case .connected:
            return WhatsAppStatus(provider: .web, state: .connected)
        case .expired(let detail):
            return WhatsAppStatus(provider: .web, state: .expired, detail: detail)
        case .disconnected(let detail):
            return WhatsAppStatus(provider: .web, state: .disconnected, detail: detail ?? Self.notLinked)
        case .error(let detail):
            return WhatsAppStatus(provider: .web, state: .error, detail: detail)
        }
    }

    /// A `connect` flow is under way (linking or showing a QR code).
    var isLinking: Bool {
        switch self {
        case .linking, .qr: true
        default: false
        }
    }

    var isConnected: Bool {
        if case .connected = self { true } else { false }
    }
}
