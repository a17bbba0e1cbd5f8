import ApplianceCoding
import Foundation

/// How to find elements: a W3C location strategy and its selector.
public struct Locator: Sendable, Hashable, CustomStringConvertible {
    /// The W3C strategy name (`css selector`, `xpath`, `link text`, …).
    public let strategy: String
    public let value: String

    public init(strategy: String, value: String) {
        self.strategy = strategy
        self.value = value
    }

    /// A CSS selector, e.g. `.css("button[type=submit]")`.
    public static func css(_ selector: String) -> Locator { Locator(strategy: "css selector", value: selector) }

    /// An XPath expression, e.g. `.xpath("//button[text()='Send']")`.
    public static func xpath(_ expression: String) -> Locator { Locator(strategy: "xpath", value: expression) }

    /// An `<a>` whose visible text equals `text`.
    public static func linkText(_ text: String) -> Locator { Locator(strategy: "link text", value: text) }

    /// An `<a>` whose visible text contains `text`.
    public static func partialLinkText(_ text: String) -> Locator { Locator(strategy: "partial link text", value: text) }

    /// Elements with this tag name.
    public static func tagName(_ name: String) -> Locator { Locator(strategy: "tag name", value: name) }

    /// The element with this `id` attribute (a CSS `#id` selector, escaped).
    public static func id(_ id: String) -> Locator {
        let escaped = id.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return .css("[id=\"\(escaped)\"]")
    }

    var body: JSONValue { ["using": .string(strategy), "value": .string(value)] }

    public var description: String { "\(strategy) \"\(value)\"" }
}
