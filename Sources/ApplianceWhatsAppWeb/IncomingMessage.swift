/// A customer's message read from an unread chat.
struct IncomingMessage: Sendable, Equatable {
    /// The bubble's `data-id` (`false_<number>@c.us_<id>`): unique, used to apply it once.
    var id: String?
    /// The sender as E.164, from the bubble's id or else the chat's title.
    var phone: String
    var text: String
}
