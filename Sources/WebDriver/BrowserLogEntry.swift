import Foundation

/// One console message or browser error, from ``WebDriverSession/browserLogs()``.
public struct BrowserLogEntry: Sendable, Hashable {
    /// `SEVERE` (console.error, uncaught errors, failed loads), `WARNING`, `INFO`, `DEBUG`.
    public var level: String
    public var message: String
    /// `console-api`, `javascript`, `network`, …
    public var source: String?
    public var timestamp: Date

    public init(level: String, message: String, source: String?, timestamp: Date) {
        self.level = level
        self.message = message
        self.source = source
        self.timestamp = timestamp
    }

    /// True for `SEVERE` entries.
    public var isError: Bool { level == "SEVERE" }
}
