import ApplianceCoding
import Foundation
import WebDriver

extension WhatsAppWebPage {
    /// The customer's messages in the open chat that came after our last message there (none
    /// when no chat is open). WhatsApp Web marks a message that arrives in the open chat as read
    /// at once, so it never gets an unread badge: a kept browser's open chat is read this way.
    /// Messages whose sender cannot be told (neither their id nor our last bubble's carries a
    /// number) are left out.
    func openChatReplies() async throws -> [IncomingMessage] {
        let value = try await session.executeScript(PageScript.openChatReplies,
                                                    args: [list(.conversation), list(.outgoingMessage), list(.incomingMessage), list(.messageText)])
        let chatPhone = Self.phone(fromMessageID: value["out"]?.stringValue)
        return (value["messages"]?.arrayValue ?? []).compactMap { item -> IncomingMessage? in
            guard let text = item["text"]?.stringValue, !text.isEmpty else { return nil }
            let id = item["id"]?.stringValue
            guard let phone = Self.phone(fromMessageID: id) ?? chatPhone else { return nil }
            return IncomingMessage(id: id, phone: phone, text: text)
        }
    }

    /// Closes the open chat, as a person does with Escape, so that what the customer writes next
    /// shows as unread in the chat list (an open chat's new messages are marked read at once).
    /// When Escape does not close it, WhatsApp Web's start page is loaded instead.
    /// - Throws: when the chat list does not show afterwards.
    func leaveChat(baseURL: String) async throws {
        guard try await visible([.conversation]).contains(.conversation) else { return }
        if let composer = try await element(.composer) { try await composer.sendKeys(Key.escape) }
        let closed = try? await session.waitFor("the chat to close", timeout: .seconds(2), poll: timeouts.poll) { () async throws -> Bool? in
            try await visible([.conversation]).contains(.conversation) ? nil : true
        }
        guard closed == nil else { return }
        try await open(baseURL)
        _ = try await waitForScreen([.chats], timeout: timeouts.screen, step: "leaving the chat")
    }
}
