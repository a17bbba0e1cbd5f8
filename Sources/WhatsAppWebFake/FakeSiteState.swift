/// Everything the fake WhatsApp Web remembers: devices (browser profiles), their chats, and
/// every message sent through it.
struct FakeSiteState: Sendable {
    struct Device: Sendable {
        let id: String
        var loggedIn: Bool
        /// Codes shown before the current series started (keeps references unique).
        var codeBase = 0
        /// When the current series of codes started (ms).
        var seriesStart: Int64
        /// Chats by number (digits).
        var chats: [String: Chat] = [:]
    }

    struct Chat: Sendable {
        var messages: [Message] = []
        var unread = 0
    }

    struct Message: Sendable {
        /// `true_<digits>@c.us_<id>` or `false_…`.
        let id: String
        let fromMe: Bool
        let text: String
        let at: Int64
        /// When its tick shows (nil: never).
        var tickAt: Int64?
    }

    var devices: [String: Device] = [:]
    var sent: [FakeWhatsAppWeb.Sent] = []
    var configuration: FakeSiteConfiguration
    var nextMessage = 1
    var scans = 0

    /// The code a device shows now: its reference, and whether the series ran out.
    func code(_ device: Device, now: Int64) -> (reference: String, exhausted: Bool) {
        let step = Int((now - device.seriesStart) / max(1, configuration.qrRotationMillis))
        let exhausted = step >= configuration.codesBeforeReload
        let index = device.codeBase + min(step, max(0, configuration.codesBeforeReload - 1))
        return ("\(device.id)#\(index)", exhausted)
    }
}
