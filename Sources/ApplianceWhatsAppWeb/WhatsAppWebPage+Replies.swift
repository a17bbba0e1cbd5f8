import Foundation
import WebDriver

/// A customer's message read from an unread chat.
struct IncomingMessage: Sendable, Equatable {
    /// The bubble's `data-id` (`false_<number>@c.us_<id>`): unique, used to apply it once.
    var id: String?
    /// The sender as E.164, from the bubble's id or else the chat's title.
    var phone: String
    var text: String
}

/// A chat in the list with unread messages.
struct UnreadChat: Sendable, Equatable {
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

extension WhatsAppWebPage {
    /// The chats of the list that show an unread badge.
    func unreadChats() async throws -> [UnreadChat] {
        let value = try await session.executeScript(PageScript.unreadChats, args: [list(.chatRow), list(.unreadBadge), list(.chatTitle)])
        return (value.arrayValue ?? []).compactMap { item in
            guard let index = item["index"]?.intValue else { return nil }
            return UnreadChat(index: index, count: item["count"]?.intValue ?? 1, title: item["title"]?.stringValue ?? "")
        }
    }

    /// Opens `chat` and returns its last `chat.count` incoming messages (WhatsApp marks them read).
    func readUnread(_ chat: UnreadChat, phone: String) async throws -> [IncomingMessage] {
        let step = "opening the unread chat \(chat.title)"
        guard let row = session.element(from: try await session.executeScript(PageScript.chatRow, args: [list(.chatRow), .number(Double(chat.index))])) else {
            throw await failure(step, missing: [.chatRow], reason: "the chat left the list")
        }
        try await row.click()
        do {
            _ = try await session.waitFor(step, timeout: timeouts.screen, poll: timeouts.poll) {
                let visible = try await visible([.conversation, .incomingMessage])
                return visible.contains(.incomingMessage) ? true : nil
            }
        } catch let error as WebDriverError where error.code == .waitTimeout {
            throw await failure(step, missing: [.conversation, .incomingMessage], reason: "no message showed")
        }
        let value = try await session.executeScript(PageScript.incoming, args: [list(.incomingMessage), list(.messageText), .number(Double(chat.count))])
        return (value.arrayValue ?? []).compactMap { item in
            guard let text = item["text"]?.stringValue, !text.isEmpty else { return nil }
            let id = item["id"]?.stringValue
            return IncomingMessage(id: id, phone: Self.phone(fromMessageID: id) ?? phone, text: text)
        }
    }

    /// `false_33612345678@c.us_3EB0…` → `+33612345678` (nil for ids without a phone, e.g. `@lid`).
    static func phone(fromMessageID id: String?) -> String? {
        guard let id else { return nil }
        let parts = id.split(separator: "_")
        guard parts.count >= 2, parts[1].hasSuffix("@c.us") else { return nil }
        let digits = parts[1].dropLast("@c.us".count)
        guard !digits.isEmpty, digits.allSatisfy(\.isNumber) else { return nil }
        return "+" + digits
    }
}
