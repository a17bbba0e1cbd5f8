import ApplianceCoding
import Foundation

/// A reference to one element of the page a ``WebDriverSession`` shows. It goes stale (errors
/// with `.staleElementReference`) when the element leaves the DOM or the page changes.
public struct WebElement: Sendable, Hashable {
    /// The W3C key under which element references travel in JSON.
    public static let referenceKey = "element-6066-11e4-a52e-4f735466cecf"

    /// The driver's id for the element.
    public let id: String
    /// The session the element belongs to.
    public let session: WebDriverSession

    public init(id: String, session: WebDriverSession) {
        self.id = id
        self.session = session
    }

    /// The element as a script argument: `executeScript("arguments[0].focus()", args: [el.jsonValue])`.
    public var jsonValue: JSONValue { [Self.referenceKey: .string(id)] }

    /// Scrolls the element into view and clicks its centre.
    /// - Throws: `.elementClickIntercepted` when another element would get the click,
    ///   `.elementNotInteractable` when it is hidden or has no size.
    public func click() async throws { try await command(.post, "/click", timeout: session.limit(outlasting: "pageLoad")) }

    /// Empties an editable element (input, textarea, contenteditable).
    public func clear() async throws { try await command(.post, "/clear") }

    /// Focuses the element and types `text`; use ``Key`` for special keys.
    public func sendKeys(_ text: String) async throws {
        try await command(.post, "/value", ["text": .string(text)])
    }

    /// The first descendant matching `locator`.
    public func findElement(_ locator: Locator) async throws -> WebElement {
        try session.element(from: try await command(.post, "/element", locator.body), for: locator)
    }

    /// All descendants matching `locator`.
    public func findElements(_ locator: Locator) async throws -> [WebElement] {
        try session.elements(from: try await command(.post, "/elements", locator.body), for: locator)
    }

    /// PNG image of the element's bounding box.
    public func screenshot() async throws -> Data {
        try WebDriverSession.png(from: try await command(.get, "/screenshot"))
    }

    @discardableResult
    func command(_ method: WebDriverClient.Method, _ suffix: String, _ body: JSONValue? = nil,
                 timeout: Duration? = nil) async throws -> JSONValue {
        try await session.command(method, "/element/\(Self.pathComponent(id))\(suffix)", body, timeout: timeout)
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    public static func == (lhs: WebElement, rhs: WebElement) -> Bool { lhs.id == rhs.id && lhs.session.id == rhs.session.id }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(id)
        hasher.combine(session.id)
    }
}
