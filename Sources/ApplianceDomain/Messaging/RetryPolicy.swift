/// Exponential backoff with jitter for sends that were not accepted: at most `maxAttempts`
/// attempts within `window` of the first, then the message fails.
public struct RetryPolicy: Sendable {
    public var maxAttempts = 6
    public var window: Int64 = 3_600_000
    public var baseDelay: Int64 = 30_000
    public var maxDelay: Int64 = 15 * 60_000

    public init() {}

    /// When attempt `attempt + 1` may run after attempt `attempt` failed at `now`, or nil when
    /// no attempt is left (`firstAttemptAt` is when attempt 1 ran).
    public func nextAttempt(after attempt: Int, now: Int64, firstAttemptAt: Int64, jitter: Double) -> Int64? {
        guard attempt < maxAttempts else { return nil }
        let exponential = min(maxDelay, baseDelay << Int64(min(attempt - 1, 20)))
        let delay = Int64(Double(exponential) * (0.5 + 0.5 * min(max(jitter, 0), 1)))
        let at = now + max(1000, delay)
        return at - firstAttemptAt <= window ? at : nil
    }
}
