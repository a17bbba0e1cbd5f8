/// A WhatsApp transport (the seam tests replace). Implementations must not retry on their own:
/// the scheduler journals every attempt before calling `send` and decides about retries.
public protocol MessageProvider: Sendable {
    /// The provider's name as stored in `message.provider` (`log`, `cloud`, `web`).
    var name: String { get }
    /// Sends one message with the tenant's current settings.
    func send(_ message: OutboundMessage, settings: Settings) async -> SendOutcome
}
