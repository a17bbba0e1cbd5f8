import ApplianceCoding

/// One browser session on a WebDriver endpoint. A value: copies share the same remote session.
///
/// Make one with ``ChromeDriverService/withSession(_:isolation:_:)`` (ends it for you), with
/// ``withChromeSession(_:driver:logger:isolation:_:)``, or with ``create(client:capabilities:)``
/// and ``delete()``.
public struct WebDriverSession: Sendable {
    /// The session id the driver assigned.
    public let id: String
    /// The capabilities the driver answered with (browser version, `goog:processID`, …).
    public let capabilities: JSONValue
    /// The transport this session talks through.
    public let client: WebDriverClient

    public init(id: String, capabilities: JSONValue, client: WebDriverClient) {
        self.id = id
        self.capabilities = capabilities
        self.client = client
    }

    /// Starts a new session.
    ///
    /// - Parameters:
    ///   - client: the driver endpoint.
    ///   - capabilities: the `alwaysMatch` capabilities, e.g. ``ChromeOptions/capabilities``.
    /// - Throws: ``WebDriverError`` (`session not created` when the browser cannot start).
    public static func create(client: WebDriverClient, capabilities: JSONValue) async throws -> WebDriverSession {
        let body: JSONValue = ["capabilities": ["alwaysMatch": capabilities, "firstMatch": [[:]]]]
        let value = try await client.send(.post, "/session", body)
        guard let id = value["sessionId"]?.stringValue else {
            throw WebDriverError(.invalidResponse, "new session answer without sessionId: \(value)", command: "POST /session")
        }
        return WebDriverSession(id: id, capabilities: value["capabilities"] ?? .null, client: client)
    }

    /// Ends the session: the driver closes the browser. Ending a session that is already gone
    /// (`invalid session id`) is not an error.
    public func delete() async throws {
        do {
            try await client.send(.delete, "/session/\(id)")
        } catch let error as WebDriverError where error.code == .invalidSessionID {
            return
        }
    }

    /// Default time limit of one command.
    public var commandTimeout: Duration { client.commandTimeout }

    /// Process id of the browser (ChromeDriver's `goog:processID`), if the driver reports it.
    public var browserProcessID: Int32? { capabilities["goog:processID"]?.intValue.flatMap { Int32(exactly: $0) } }

    /// The browser's profile directory as ChromeDriver reports it.
    public var userDataDirectory: String? { capabilities["chrome"]?["userDataDir"]?.stringValue }

    /// Sends a command below `/session/{id}`; `suffix` starts with `/` or is empty.
    @discardableResult
    func command(_ method: WebDriverClient.Method, _ suffix: String, _ body: JSONValue? = nil,
                 timeout: Duration? = nil) async throws -> JSONValue {
        try await client.send(method, "/session/\(id)\(suffix)", body, timeout: timeout)
    }

    /// A request limit that outlasts the driver's own timeout `key` (`pageLoad`, `script`) as
    /// negotiated at session start, so the driver's error arrives before the HTTP limit.
    func limit(outlasting key: String) -> Duration {
        guard let ms = capabilities["timeouts"]?[key]?.doubleValue else { return commandTimeout }
        return max(commandTimeout, .milliseconds(Int64(ms)) + .seconds(5))
    }
}
