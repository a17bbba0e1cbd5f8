/// Where an order's WhatsApp confirmation stands.
public enum MessageState: String, Codable, Sendable, CaseIterable {
    case scheduled, sending, sent, delivered, read, failed, unknown, skipped
}
