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
        /// The chat a page of this device shows open (digits), as the page last said.
        var openChat: String?
        /// When the page last said which chat is open (ms); a page that stopped saying so is gone.
        var openChatSeenAt: Int64 = 0
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

    /// How long a page's word on its open chat holds (the page says it every 300 ms).
    static let openChatFreshMillis: Int64 = 1500

    /// Whether a page of `device` shows the chat with `digits` open now.
    func isOpen(_ digits: String, on device: Device?, now: Int64) -> Bool {
        guard let device, device.openChat == digits else { return false }
        return now - device.openChatSeenAt <= Self.openChatFreshMillis
    }

    /// The code a device shows now: its reference, and whether the series ran out.
    func code(_ device: Device, now: Int64) -> (reference: String, exhausted: Bool) {
        let step = Int((now - device.seriesStart) / max(1, configuration.qrRotationMillis))
        let exhausted = step >= configuration.codesBeforeReload
        let index = device.codeBase + min(step, max(0, configuration.codesBeforeReload - 1))
        return ("\(device.id)#\(index)", exhausted)
    }
}
