/// A chat in the list with unread messages.
struct UnreadChat: Sendable, Equatable {
    /// Its position in the list when it was read (rows are found again by title).
    var index: Int
    var count: Int
    /// The chat's name, or its number formatted (`+33 6 12 34 56 78`) for an unsaved contact.
    var title: String

    /// The number in the title as E.164, when the title is a number.
    var phone: String? {
        let digits = title.filter(\.isNumber)
        let others = title.filter { !$0.isNumber && !" +-().\u{00A0}\u{202A}\u{202C}".contains($0) }
        return digits.count >= 7 && others.isEmpty ? "+" + digits : nil
    }
}
