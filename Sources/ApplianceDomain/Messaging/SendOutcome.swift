/// What a provider reports about one send. "Never twice beats always once": only failures
/// known to have happened before the message was accepted are retried.
public enum SendOutcome: Sendable, Equatable {
    /// Accepted; the provider's message id (`wamid`) when it has one.
    case sent(messageID: String?)
    /// Not accepted, and safe to try again later (connect error, rate limit, 5xx with an error body).
    case retry(reason: String)
    /// Not accepted and never will be (invalid number, not on WhatsApp).
    case failed(reason: String)
    /// It may have been accepted (timeout or connection lost after the request was sent).
    case unknown(reason: String)
    /// The tenant's provider is misconfigured or unlinked (bad token, template rejected,
    /// session expired): hold every job, keep it `scheduled`, until the merchant fixes it.
    case hold(reason: String)
}
