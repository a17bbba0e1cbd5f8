import ApplianceCoding
import Foundation
import Logging
import WebDriver

/// Where each element of WhatsApp Web is found, with fallbacks: an ordered list of selectors
/// per element, the first that matches a visible element wins. CSS selectors, or XPath when an
/// entry starts with `/`, `(` or `./` (XPath can match text, e.g. the invalid-number popup).
///
/// The defaults (``defaultJSON``) are built in; the operator overrides any element without a
/// rebuild in `data/whatsapp-web-selectors.json`, read at start, in the same format:
/// ```json
/// {"version": 1, "selectors": {"composer": ["#main footer div[contenteditable='true']"]}}
/// ```
/// An element named there replaces its whole default list; the others keep their defaults.
public struct WebSelectors: Sendable, Equatable {
    /// The elements the module looks for.
    public enum Key: String, CaseIterable, Sendable {
        /// The QR code image (its PNG is what the merchant scans).
        case qrCode = "qr_code"
        /// "Click to reload QR code", shown after codes went unscanned.
        case qrReload = "qr_reload"
        /// Shown only when logged in (the chat list).
        case loggedIn = "logged_in"
        /// The message box of an open chat.
        case composer
        /// The send button next to the composer (used when Enter did not send).
        case sendButton = "send_button"
        /// A message bubble sent by us, in the open chat.
        case outgoingMessage = "outgoing_message"
        /// The tick(s) inside an outgoing bubble once WhatsApp's server has it.
        case sentTick = "sent_tick"
        /// The "phone number shared via url is invalid" popup.
        case invalidNumber = "invalid_number"
        /// One chat in the chat list.
        case chatRow = "chat_row"
        /// The unread-count badge inside a chat row.
        case unreadBadge = "unread_badge"
        /// The chat's name (or formatted number) inside a chat row.
        case chatTitle = "chat_title"
        /// The open chat's panel.
        case conversation
        /// A message bubble from the other person, in the open chat.
        case incomingMessage = "incoming_message"
        /// The text inside a message bubble.
        case messageText = "message_text"
    }

    /// The selectors of each element, in the order they are tried.
    public private(set) var lists: [Key: [String]]

    /// The operator's file in the data root.
    public static let fileName = "whatsapp-web-selectors.json"

    public init(lists: [Key: [String]]) {
        self.lists = lists
    }

    /// The selectors of `key` (empty when none is configured).
    public subscript(key: Key) -> [String] { lists[key] ?? [] }

    /// This set with every element named in `overrides` replaced.
    public func merging(_ overrides: WebSelectors) -> WebSelectors {
        var merged = self
        for (key, list) in overrides.lists { merged.lists[key] = list }
        return merged
    }

    /// The built-in selectors.
    public static let defaults: WebSelectors = {
        do {
            return try parse(Data(defaultJSON.utf8)).selectors
        } catch {
            preconditionFailure("the built-in WhatsApp Web selectors do not parse: \(error)")
        }
    }()

    /// Parses the file format; returns the selectors and the names it did not know.
    public static func parse(_ data: Data) throws -> (selectors: WebSelectors, unknown: [String]) {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let table = root["selectors"] as? [String: Any] else {
            throw SelectorFileError(description: "expected {\"version\": 1, \"selectors\": {\"<element>\": [\"<selector>\", …]}}")
        }
        var lists: [Key: [String]] = [:]
        var unknown: [String] = []
        for (name, value) in table {
            guard let key = Key(rawValue: name) else {
                unknown.append(name)
                continue
            }
            guard let list = value as? [String], !list.isEmpty, list.allSatisfy({ !$0.isEmpty }) else {
                throw SelectorFileError(description: "\"\(name)\" must be a non-empty list of selector strings")
            }
            lists[key] = list
        }
        return (WebSelectors(lists: lists), unknown.sorted())
    }

    /// The defaults merged with the operator's file at `path`, if there is one. A file that
    /// cannot be used is reported and ignored (the defaults apply).
    public static func load(path: String, logger: Logger) -> WebSelectors {
        guard FileManager.default.fileExists(atPath: path) else { return defaults }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            let (overrides, unknown) = try parse(data)
            if !unknown.isEmpty {
                logger.warning("unknown elements in the WhatsApp Web selector file are ignored",
                               metadata: ["path": "\(path)", "unknown": "\(unknown)", "known": "\(Key.allCases.map(\.rawValue))"])
            }
            logger.notice("WhatsApp Web selectors overridden", metadata: ["path": "\(path)", "elements": "\(overrides.lists.keys.map(\.rawValue).sorted())"])
            return defaults.merging(overrides)
        } catch {
            logger.error("cannot use the WhatsApp Web selector file; using the built-in selectors",
                         metadata: ["path": "\(path)", "error": "\(error)"])
            return defaults
        }
    }

    /// The selectors of `keys` as a script argument: `{"<element>": ["<selector>", …]}`.
    func argument(_ keys: [Key]) -> JSONValue {
        var object: [String: JSONValue] = [:]
        for key in keys { object[key.rawValue] = .array(self[key].map { .string($0) }) }
        return .object(object)
    }
}
