/// How the fake WhatsApp Web behaves; change it while it runs with ``FakeWhatsAppWeb/configure(_:)``.
public struct FakeSiteConfiguration: Sendable {
    /// How long one QR code lasts before the next (WhatsApp: about 20 s).
    public var qrRotationMillis: Int64 = 1500
    /// Codes shown before the page stops and offers "Click to reload QR code".
    public var codesBeforeReload = 5
    /// New devices are logged in at once (as if the phone scanned the first code).
    public var autoLink = false
    /// Time from Enter to the sent tick, unless ``tickBehaviour`` says otherwise for the number.
    public var tickMillis: Int64 = 150
    /// Per number (digits): `nil` = never ticks, else milliseconds.
    public var tickBehaviour: [String: Int64?] = [:]
    /// Numbers (digits) that are "not on WhatsApp": `/send` shows the invalid-number popup.
    public var invalidNumbers: Set<String> = []
    /// "Starting chat" shown before a `/send` chat opens.
    public var startingChatMillis: Int64 = 150

    public init() {}
}
