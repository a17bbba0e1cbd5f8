import ApplianceCoding
import Foundation
import WebDriver

extension WhatsAppWebPage {
    /// The last outgoing bubble of the open chat.
    struct Bubble: Sendable, Equatable {
        var count: Int
        var id: String?
        var tick: Bool

        /// A bubble that was not there in `before`.
        func isNew(after before: Bubble) -> Bool {
            if let id { return id != before.id }
            return count > before.count
        }
    }

    func lastBubble() async throws -> Bubble {
        let value = try await session.executeScript(PageScript.lastOutgoing, args: [list(.outgoingMessage), list(.sentTick)])
        return Bubble(count: value["count"]?.intValue ?? 0, id: value["id"]?.stringValue, tick: value["tick"]?.boolValue ?? false)
    }

    /// Opens `<base>/send?phone=<digits>&text=<text>`, waits for the composer, pauses as if
    /// typing, presses Enter and waits for the sent tick. Failures before Enter are `notSent`
    /// (retryable), after it `unconfirmed`; both save a screenshot.
    ///
    /// "After Enter" starts when the Enter key's command is sent to the browser, not when its
    /// answer comes back: chromedriver may have dispatched the key although the call then fails
    /// or times out, so from then on the message is `sent` (tick seen) or `unconfirmed`, never
    /// `notSent` (which would send it a second time).
    func send(to phone: String, text: String, baseURL: String, typing: Duration) async -> WebSendResult {
        var pressed = false
        do {
            let digits = phone.filter(\.isNumber)
            try await open("\(baseURL)/send?phone=\(digits)&text=\(Self.queryEncoded(text))")
            let step = "opening the chat with \(phone)"
            switch try await waitForScreen([.chat, .invalidNumber, .qr], timeout: timeouts.screen, step: step) {
            case .invalidNumber: return .invalidNumber
            case .qr: return .loggedOut
            default: break
            }
            guard let composer = try await element(.composer) else {
                throw await failure(step, missing: [.composer], reason: "the composer disappeared")
            }
            if Self.normalized(try await textOf(.composer) ?? "") != Self.normalized(text) {
                // WhatsApp did not take the text from the link: type it (Shift+Enter for new lines).
                try await composer.clear()
                try await composer.sendKeys(Self.typable(text))
            }
            if typing > .zero { try await Task.sleep(for: typing) }
            let before = try await lastBubble()
            // Set before the command: its failure says nothing about whether the key got through.
            pressed = true
            var enterFailure = ""
            do {
                try await composer.sendKeys(Key.enter)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // The page decides: a bubble and its tick → sent; nothing → unconfirmed.
                enterFailure = " (the Enter key's command failed: \(error))"
            }
            var bubble = try await waitForBubble(after: before)
            if bubble == nil {
                // Enter did nothing visible: when the text is still in the composer nothing left,
                // so the send button may be tried once.
                guard !Self.normalized(try await textOf(.composer) ?? "").isEmpty else {
                    let error = await failure("sending to \(phone)", missing: [.outgoingMessage],
                                              reason: "the composer emptied but no bubble appeared" + enterFailure)
                    return .unconfirmed(error.description)
                }
                if let button = try await element(.sendButton) { try await button.click() }
                bubble = try await waitForBubble(after: before)
                if bubble == nil, !Self.normalized(try await textOf(.composer) ?? "").isEmpty {
                    // Most likely nothing left, but Enter reached the browser: never sent twice.
                    let error = await failure("sending to \(phone)", missing: [.sendButton, .outgoingMessage],
                                              reason: "the message stayed in the composer (Enter and the send button did nothing)" + enterFailure)
                    return .unconfirmed(error.description)
                }
            }
            guard let sentBubble = bubble else {
                let error = await failure("sending to \(phone)", missing: [.outgoingMessage], reason: "no bubble appeared after Enter" + enterFailure)
                return .unconfirmed(error.description)
            }
            let ticked = try? await session.waitFor("the sent tick", timeout: timeouts.sentTick, poll: timeouts.poll) { () async throws -> Bubble? in
                let now = try await lastBubble()
                return (now.id == sentBubble.id || sentBubble.id == nil) && now.tick ? now : nil
            }
            guard let ticked else {
                let error = await failure("sending to \(phone)", missing: [.sentTick],
                                          reason: "Enter was pressed but no sent tick showed within \(Self.format(timeouts.sentTick))" + enterFailure)
                return .unconfirmed(error.description)
            }
            return .sent(messageID: ticked.id ?? sentBubble.id ?? "web.\(UUID().uuidString)")
        } catch let error as WebStepError {
            return pressed ? .unconfirmed(error.description) : .notSent(error.description)
        } catch is CancellationError {
            return pressed ? .unconfirmed("WhatsApp Web: the send was interrupted after Enter") : .notSent("WhatsApp Web: the send was interrupted")
        } catch {
            let step = await failure(pressed ? "after Enter" : "before Enter", reason: "\(error)")
            return pressed ? .unconfirmed(step.description) : .notSent(step.description)
        }
    }

    /// Waits (up to the bubble timeout) for a new outgoing bubble; nil when none came.
    func waitForBubble(after before: Bubble) async throws -> Bubble? {
        do {
            return try await session.waitFor("the message bubble", timeout: timeouts.bubble, poll: timeouts.poll) { () async throws -> Bubble? in
                let now = try await lastBubble()
                return now.isNew(after: before) ? now : nil
            }
        } catch let error as WebDriverError where error.code == .waitTimeout {
            return nil
        }
    }

    /// `text` percent-encoded for a query value (everything but unreserved characters).
    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        allowed = allowed.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// Whitespace collapsed, for comparing what the composer holds with the message.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Keys that type `text` in WhatsApp's composer: new lines as Shift+Enter.
    static func typable(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: Key.shift + Key.enter + Key.shift)
    }
}
