import Foundation
import WebDriver

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
        let found = try await session.executeScript(PageScript.chatRow, args: [list(.chatRow), list(.chatTitle), .string(chat.title)])
        guard let row = session.element(from: found) else {
            throw await failure(step, missing: [.chatRow], reason: "the chat left the list")
        }
        try await row.click()
        do {
            try await session.wait(step, timeout: timeouts.screen, poll: timeouts.poll) {
                try await visible([.conversation, .incomingMessage]).contains(.incomingMessage)
            }
        } catch let error as WebDriverError where error.code == .waitTimeout {
            throw await failure(step, missing: [.conversation, .incomingMessage], reason: "no message showed")
        }
        let value = try await session.executeScript(PageScript.incoming, args: [list(.incomingMessage), list(.messageText), .number(Double(chat.count))])
        let messages = (value.arrayValue ?? []).compactMap { item -> IncomingMessage? in
            guard let text = item["text"]?.stringValue, !text.isEmpty else { return nil }
            let id = item["id"]?.stringValue
            return IncomingMessage(id: id, phone: Self.phone(fromMessageID: id) ?? phone, text: text)
        }
        // Never apply another chat's messages (a list that changed under the click).
        guard messages.allSatisfy({ $0.phone.filter(\.isNumber) == phone.filter(\.isNumber) }) else {
            throw await failure(step, reason: "the chat that opened is not \(chat.title)")
        }
        return messages
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
