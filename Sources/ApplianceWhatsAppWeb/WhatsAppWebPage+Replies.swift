import ApplianceCoding
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
    ///
    /// The previous conversation's bubbles stay on screen until the clicked one renders, so the
    /// wait is for messages of this chat: ids that carry its number, or (for ids without a
    /// number) bubbles other than those shown before the click.
    func readUnread(_ chat: UnreadChat, phone: String) async throws -> [IncomingMessage] {
        let step = "opening the unread chat \(chat.title)"
        let digits = phone.filter(\.isNumber)
        let before = Set(try await incoming(count: 50, phone: phone).compactMap(\.id))
        try await clickRow(of: chat, step: step)
        var last: [IncomingMessage] = []
        do {
            return try await session.waitFor(step, timeout: timeouts.screen, poll: timeouts.poll) { () async throws -> [IncomingMessage]? in
                let messages = try await incoming(count: chat.count, phone: phone)
                last = messages
                guard !messages.isEmpty else { return nil }
                let ours = messages.allSatisfy { message in
                    if let fromID = Self.phone(fromMessageID: message.id) { return fromID.filter(\.isNumber) == digits }
                    return message.id.map { !before.contains($0) } ?? false
                }
                return ours ? messages : nil
            }
        } catch let error as WebDriverError where error.code == .waitTimeout {
            // Never apply another chat's messages (a list that changed under the click).
            if last.isEmpty { throw await failure(step, missing: [.conversation, .incomingMessage], reason: "no message showed") }
            throw await failure(step, reason: "the chat that opened is not \(chat.title)")
        }
    }

    /// Clicks the chat's row. The list is redrawn whenever a badge changes (opening the previous
    /// chat cleared its own): a row replaced between finding and clicking it is found again.
    private func clickRow(of chat: UnreadChat, step: String) async throws {
        var attempt = 0
        while true {
            attempt += 1
            let found = try await session.executeScript(PageScript.chatRow, args: [list(.chatRow), list(.chatTitle), .string(chat.title)])
            guard let row = session.element(from: found) else {
                throw await failure(step, missing: [.chatRow], reason: "the chat left the list")
            }
            do {
                try await row.click()
                return
            } catch let error as WebDriverError where error.code == .staleElementReference && attempt < 5 {
                continue
            }
        }
    }

    /// The last `count` incoming bubbles of the open conversation (none when no chat is open).
    private func incoming(count: Int, phone: String) async throws -> [IncomingMessage] {
        let value = try await session.executeScript(PageScript.incoming, args: [list(.incomingMessage), list(.messageText), .number(Double(count))])
        return (value.arrayValue ?? []).compactMap { item -> IncomingMessage? in
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
