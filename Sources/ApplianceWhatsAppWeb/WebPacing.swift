/// How fast one tenant may send over WhatsApp Web (ban risk grows with volume and regularity):
/// a minimum gap between two messages plus random jitter, hourly and daily caps, and a typing
/// pause proportional to the message's length. Each tenant is paced on its own.
public struct WebPacing: Sendable, Equatable {
    /// Minimum time between two messages of one tenant.
    public var minGap: Duration = .seconds(30)
    /// Random extra gap, as a fraction of `minGap` (0.5 → 30–45 s).
    public var jitter: Double = 0.5
    /// Most messages per tenant in any 60 minutes (0 = no cap).
    public var hourlyCap: Int = 40
    /// Most messages per tenant in any 24 hours (0 = no cap).
    public var dailyCap: Int = 200
    /// Typing pause per character before Enter.
    public var typingPerCharacter: Duration = .milliseconds(40)
    /// The longest typing pause.
    public var maxTyping: Duration = .seconds(8)

    public init() {}

    /// No pacing at all (tests, benchmarks against the fake site).
    public static let none: WebPacing = {
        var p = WebPacing()
        p.minGap = .zero
        p.jitter = 0
        p.hourlyCap = 0
        p.dailyCap = 0
        p.typingPerCharacter = .zero
        p.maxTyping = .zero
        return p
    }()

    /// The pause before pressing Enter on a message of `text`.
    public func typingPause(for text: String) -> Duration {
        min(maxTyping, typingPerCharacter * text.count)
    }
}
