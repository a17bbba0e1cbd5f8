/// An authenticated Shopify delivery that could not be used (acknowledged with 200 so Shopify
/// stops retrying, and kept for the merchant with the reason).
public struct RejectedDelivery: Codable, Sendable, Equatable {
    /// ms since 1970 UTC.
    public var receivedAt: Int64
    public var topic: String?
    public var webhookID: String?
    public var reason: String
    /// The body's length in bytes.
    public var bytes: Int

    public init(receivedAt: Int64, topic: String?, webhookID: String?, reason: String, bytes: Int) {
        self.receivedAt = receivedAt
        self.topic = topic
        self.webhookID = webhookID
        self.reason = reason
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case receivedAt = "received_at", topic, webhookID = "webhook_id", reason, bytes
    }
}
