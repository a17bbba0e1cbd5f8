/// The confirmation message of one order.
public struct OrderMessage: Codable, Sendable, Equatable {
    public var attempts: Int
    public var lastError: String?
    public var provider: String?
    /// The provider's id of the sent message (the Cloud API's `wamid`), to match statuses and replies.
    public var messageID: String?
    /// When the first attempt ran (ms), the start of the retry window.
    public var firstAttemptAt: Int64?
    /// When the message is due, in milliseconds since 1970 (UTC).
    public var scheduledAt: Int64?
    // Declared last so the optional's tag byte and `state` share one word (layout only).
    public var state: MessageState

    public init(state: MessageState, scheduledAt: Int64? = nil, attempts: Int = 0, lastError: String? = nil, provider: String? = nil,
                messageID: String? = nil, firstAttemptAt: Int64? = nil) {
        self.state = state
        self.scheduledAt = scheduledAt
        self.attempts = attempts
        self.lastError = lastError
        self.provider = provider
        self.messageID = messageID
        self.firstAttemptAt = firstAttemptAt
    }

    enum CodingKeys: String, CodingKey {
        case state, scheduledAt = "scheduled_at", attempts, lastError = "last_error", provider, messageID = "wamid"
        case firstAttemptAt = "first_attempt"
    }
}
