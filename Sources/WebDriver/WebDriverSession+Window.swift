import ApplianceCoding
import Foundation

extension WebDriverSession {
    /// The current window's position and outer size.
    public func windowRect() async throws -> WindowRect {
        try WindowRect(json: try await command(.get, "/window/rect"))
    }

    /// Moves and/or resizes the current window; nil leaves a value as it is.
    /// - Returns: the rect the window actually got.
    @discardableResult
    public func setWindowRect(x: Int? = nil, y: Int? = nil, width: Int? = nil, height: Int? = nil) async throws -> WindowRect {
        var body: [String: JSONValue] = [:]
        if let x { body["x"] = .number(Double(x)) }
        if let y { body["y"] = .number(Double(y)) }
        if let width { body["width"] = .number(Double(width)) }
        if let height { body["height"] = .number(Double(height)) }
        return try WindowRect(json: try await command(.post, "/window/rect", .object(body)))
    }

    /// PNG image of the viewport.
    public func screenshot() async throws -> Data {
        try Self.png(from: try await command(.get, "/screenshot"))
    }

    /// Changes the session's timeouts; nil leaves one unchanged.
    ///
    /// The HTTP limit of navigation and script commands follows the timeouts the session started
    /// with, not these: raising `script` or `pageLoad` above ``commandTimeout`` needs a client with
    /// a longer ``WebDriverClient/commandTimeout`` (or the timeouts set in ``ChromeOptions``).
    public func setTimeouts(script: Duration? = nil, pageLoad: Duration? = nil, implicit: Duration? = nil) async throws {
        try await command(.post, "/timeouts", WebDriverTimeouts(script: script, pageLoad: pageLoad, implicit: implicit).json)
    }

    /// The session's current timeouts.
    public func timeouts() async throws -> WebDriverTimeouts {
        WebDriverTimeouts(json: try await command(.get, "/timeouts"))
    }

    /// Directs commands into the `<iframe>`/`<frame>` `frame`, or back to the top-level page when nil.
    public func switchToFrame(_ frame: WebElement?) async throws {
        try await command(.post, "/frame", ["id": frame?.jsonValue ?? .null])
    }

    /// Directs commands to the parent of the current frame.
    public func switchToParentFrame() async throws {
        try await command(.post, "/frame/parent")
    }

    static func png(from value: JSONValue) throws -> Data {
        guard let base64 = value.stringValue, let data = Data(base64Encoded: base64, options: .ignoreUnknownCharacters) else {
            throw WebDriverError(.invalidResponse, "screenshot is not base64 text")
        }
        return data
    }
}
