/// How one WhatsApp Web send ended, as the page saw it.
enum WebSendResult: Sendable, Equatable {
    /// The bubble got its sent tick; its `data-id` (or a made-up id when it has none).
    case sent(messageID: String)
    /// WhatsApp said the number is not on WhatsApp.
    case invalidNumber
    /// The QR code showed instead of the chat: the session is logged out.
    case loggedOut
    /// Nothing left the composer: safe to try again.
    case notSent(String)
    /// Enter was pressed but the tick never showed: the message may have gone out.
    case unconfirmed(String)
}
