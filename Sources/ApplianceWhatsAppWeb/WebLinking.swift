/// How long linking waits for the phone to scan.
public struct WebLinking: Sendable {
    /// How long one QR code is shown before WhatsApp replaces it (`qr_expires_at`).
    public var qrLifetime: Duration = .seconds(20)
    /// Give up (state `disconnected`) after this many different codes went unscanned.
    public var maxCodes: Int = 6
    /// Give up after this long in any case.
    public var timeout: Duration = .seconds(180)
    /// After the chat list appears, time for WhatsApp Web to store its keys in the profile
    /// before the browser closes.
    public var settle: Duration = .seconds(5)

    public init() {}
}
