/// The confirmation message of one order.
public struct OrderMessage: Codable, Sendable, Equatable {
    public var attempts: Int
    public var lastError: String?
    public var provider: String?
    /// When the message is due, in milliseconds since 1970 (UTC).
    public var scheduledAt: Int64?
    // Declared last so the optional's tag byte and `state` share one word (layout only).
    public var state: MessageState

    public init(state: MessageState, scheduledAt: Int64? = nil, attempts: Int = 0, lastError: String? = nil, provider: String? = nil) {
        self.state = state
        self.scheduledAt = scheduledAt
        self.attempts = attempts
        self.lastError = lastError
        self.provider = provider
    }

    enum CodingKeys: String, CodingKey {
        case state, scheduledAt = "scheduled_at", attempts, lastError = "last_error", provider
    }
}
