/// A customer's WhatsApp message that matched no order, kept for the merchant.
public struct InboxMessage: Codable, Sendable, Equatable {
    /// The provider's id of the inbound message.
    public var id: String?
    /// The sender (E.164).
    public var from: String
    public var text: String
    /// ms since 1970.
    public var at: Int64

    public init(id: String?, from: String, text: String, at: Int64) {
        self.id = id
        self.from = from
        self.text = text
        self.at = at
    }
}
