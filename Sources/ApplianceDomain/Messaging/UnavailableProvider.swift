/// A provider that cannot send in this build (WhatsApp Web before its provider exists): every
/// job is held, `scheduled` with the reason, until the merchant picks another provider.
public struct UnavailableProvider: MessageProvider {
    public let name: String
    let reason: String

    public init(name: String, reason: String) {
        self.name = name
        self.reason = reason
    }

    public func send(_ message: OutboundMessage, settings: Settings) async -> SendOutcome { .hold(reason: reason) }
}
