/// The `log` provider: renders the message and reports it sent without contacting anyone
/// (for demos and tests). The rendered text is journaled in the order's timeline.
public struct LogProvider: MessageProvider {
    public var name: String { "log" }

    public init() {}

    public func send(_ message: OutboundMessage, settings: Settings) async -> SendOutcome {
        .sent(messageID: "log.\(message.tenantID).\(message.orderID).\(message.attempt)")
    }
}
