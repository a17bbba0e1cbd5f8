/// A tenant's WhatsApp connection as the dashboard shows it.
public struct WhatsAppStatus: Sendable, Equatable {
    public enum State: String, Sendable {
        case disconnected, linking, qr, connected, expired, error
    }

    public var provider: Settings.Provider
    public var state: State
    /// Base64 PNG of the QR code (web provider, state `qr`).
    public var qrPNG: String?
    /// When the QR code is replaced (ms).
    public var qrExpiresAt: Int64?
    public var detail: String?

    public init(provider: Settings.Provider, state: State, qrPNG: String? = nil, qrExpiresAt: Int64? = nil, detail: String? = nil) {
        self.provider = provider
        self.state = state
        self.qrPNG = qrPNG
        self.qrExpiresAt = qrExpiresAt
        self.detail = detail
    }
}
