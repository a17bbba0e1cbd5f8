import ApplianceCoding
import Foundation

extension WebDriverSession {
    /// Loads `url` and waits for the page load strategy (by default until `load`).
    /// - Throws: ``WebDriverError`` `.timeout` when the page does not load within the page load timeout.
    public func navigate(to url: String) async throws {
        try await command(.post, "/url", ["url": .string(url)], timeout: limit(outlasting: "pageLoad"))
    }

    /// Loads `url` and waits for the page load strategy.
    public func navigate(to url: URL) async throws {
        try await navigate(to: url.absoluteString)
    }

    /// The URL of the current top-level page.
    public var currentURL: String {
        get async throws { try await string(.get, "/url") }
    }

    /// The current page's `document.title`.
    public var title: String {
        get async throws { try await string(.get, "/title") }
    }

    /// The serialized DOM of the current page.
    public var pageSource: String {
        get async throws { try await string(.get, "/source") }
    }

    /// History back.
    public func back() async throws { try await command(.post, "/back", timeout: limit(outlasting: "pageLoad")) }

    /// History forward.
    public func forward() async throws { try await command(.post, "/forward", timeout: limit(outlasting: "pageLoad")) }

    /// Reloads the page.
    public func refresh() async throws { try await command(.post, "/refresh", timeout: limit(outlasting: "pageLoad")) }

    func string(_ method: WebDriverClient.Method, _ suffix: String) async throws -> String {
        let value = try await command(method, suffix)
        guard let s = value.stringValue else {
            throw WebDriverError(.invalidResponse, "expected a string, got \(value)", command: "\(method.rawValue) \(suffix)")
        }
        return s
    }
}
