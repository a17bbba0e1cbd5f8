/// One confirmation ready to go out: the rendered text for free-form transports and the
/// template parameters for the Cloud API.
public struct OutboundMessage: Sendable, Equatable {
    public var tenantID: Int
    public var orderID: UInt64
    /// E.164.
    public var to: String
    /// The rendered `message_template`.
    public var text: String
    public var mode: Settings.ConfirmationMode
    /// Cloud API body parameters, in order: customer name, order number, currency + total, slot, shop name.
    public var templateParameters: [String]
    /// Quick-reply payloads (ask mode): confirm, cancel. Opaque and unique per order.
    public var replyPayloads: [String]
    /// Which attempt this is (1 for the first).
    public var attempt: Int

    public init(tenantID: Int, orderID: UInt64, to: String, text: String, mode: Settings.ConfirmationMode,
                templateParameters: [String], replyPayloads: [String], attempt: Int) {
        self.tenantID = tenantID
        self.orderID = orderID
        self.to = to
        self.text = text
        self.mode = mode
        self.templateParameters = templateParameters
        self.replyPayloads = replyPayloads
        self.attempt = attempt
    }
}
