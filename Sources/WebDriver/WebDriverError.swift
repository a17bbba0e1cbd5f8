/// A failed WebDriver command, a failed wait, or a failure to start or reach the driver.
///
/// Errors answered by the driver carry the W3C `code` (`no such element`, `timeout`, …), its
/// `message` and the HTTP status. Errors raised here (transport, launch, wait) have their own
/// codes, listed in ``Code``, and no HTTP status.
public struct WebDriverError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure: a W3C error code as the driver sent it, or one of this module's own.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String
    /// HTTP status of the driver's answer; nil when the error was raised locally.
    public let httpStatus: Int?
    /// The command that failed, e.g. `POST /session/{id}/element`.
    public let command: String?

    public init(_ code: Code, _ message: String, httpStatus: Int? = nil, command: String? = nil) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.command = command
    }

    public var description: String {
        var text = "WebDriverError(\(code)): \(message)"
        if let httpStatus { text += " [HTTP \(httpStatus)]" }
        if let command { text += " [\(command)]" }
        return text
    }
}
