import ApplianceCoding
/// The tenant's public write operations. Each decides on the actor (one visit), then returns
/// only once its change, and everything journaled before it, is on disk: a caller cannot
/// acknowledge a write early by forgetting to wait. The staged `Commit` never leaves the domain.
extension Tenant {
    /// Replaces the password hash; tokens issued before now stop working. Returns once durable.
    public nonisolated func setPassword(hash: String) async throws(DomainError) {
        try await stagePassword(hash: hash).durable()
    }

    /// Applies a partial settings update (validated; all or nothing). Returns the settings once durable.
    @discardableResult
    public nonisolated func updateSettings(_ patch: [String: JSONValue]) async throws(DomainError) -> Settings {
        let (settings, commit) = try await stageSettings(patch)
        try await commit.durable()
        return settings
    }

    /// Changes an order's status by hand, within the allowed transitions (setting the current
    /// status again changes nothing). Returns the order once durable.
    @discardableResult
    public nonisolated func changeStatus(of id: UInt64, to target: OrderStatus) async throws(DomainError) -> Order {
        let (order, commit) = try await stageStatus(of: id, to: target)
        try await commit.durable()
        return order
    }

    /// Queues the confirmation once more for a `failed`, `unknown` or `skipped` message.
    /// Returns the order once durable.
    @discardableResult
    public nonisolated func resend(_ id: UInt64) async throws(DomainError) -> Order {
        let (order, commit) = try await stageResend(id)
        try await commit.durable()
        return order
    }

    /// Starts attempt n+1 of an order's confirmation; for ``AttemptStart/go(_:)`` the attempt
    /// (`sending`) is durable when this returns, so the message may be sent.
    public nonisolated func beginAttempt(orderID: UInt64, provider: String) async throws(DomainError) -> AttemptStart {
        let (start, commit) = try await stageAttempt(orderID: orderID, provider: provider)
        try await commit?.durable()
        return start
    }

    /// Records the outcome of the attempt begun by ``beginAttempt(orderID:provider:)``. Returns once durable.
    public nonisolated func finishAttempt(orderID: UInt64, message: OutboundMessage, outcome: SendOutcome, jitter: Double) async throws(DomainError) {
        try await stageOutcome(orderID: orderID, message: message, outcome: outcome, jitter: jitter).durable()
    }

    /// Applies a delivery status of one of our messages (monotonic: sent < delivered < read).
    /// Returns whether anything changed, once durable.
    @discardableResult
    public nonisolated func applyMessageStatus(messageID: String, status: String, error: String?) async throws(DomainError) -> Bool {
        guard let commit = try await stageMessageStatus(messageID: messageID, status: status, error: error) else { return false }
        try await commit.durable()
        return true
    }

    /// Applies a customer's message (a decision, a `reply` event, or an inbox entry; a message
    /// delivered twice is applied once). Returns once durable.
    public nonisolated func applyReply(messageID: String?, from: String, text: String?, payload: String?, contextID: String?) async throws(DomainError) {
        try await stageReply(messageID: messageID, from: from, text: text, payload: payload, contextID: contextID).durable()
    }
}
