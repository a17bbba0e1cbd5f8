/// Time limits of the WhatsApp Web steps. Every wait has one; a step that runs out fails (with
/// a screenshot when an element was not found) and its browser is closed.
public struct WebTimeouts: Sendable {
    /// Starting chromedriver and Chromium on a profile.
    public var launch: Duration = .seconds(60)
    /// One page load (WhatsApp Web is a large app).
    public var pageLoad: Duration = .seconds(60)
    /// WhatsApp Web showing the chat list, the QR code, a chat or a popup after a navigation.
    public var screen: Duration = .seconds(60)
    /// The sent tick after Enter; past it the message ends `unknown`.
    public var sentTick: Duration = .seconds(45)
    /// A message leaving the composer after Enter (a bubble appears); else it was not sent.
    public var bubble: Duration = .seconds(10)
    /// A whole send, from the lease of a browser to the tick.
    public var send: Duration = .seconds(240)
    /// Waiting for a free browser before a send gives up (and is retried later).
    public var leaseWait: Duration = .seconds(600)
    /// One health check of a tenant, replies included.
    public var healthCheck: Duration = .seconds(180)
    /// Pause between two looks at the page while waiting.
    public var poll: Duration = .milliseconds(250)

    public init() {}
}
