import ApplianceCoding
import Foundation

extension WebDriverSession {
    /// The browser console entries collected since the previous call (ChromeDriver only; not W3C).
    ///
    /// Needs ``ChromeOptions/capturesBrowserLogs`` when the session is created; without it Chrome
    /// collects only warnings and errors.
    public func browserLogs() async throws -> [BrowserLogEntry] {
        let value = try await command(.post, "/se/log", ["type": "browser"])
        guard let list = value.arrayValue else { throw WebDriverError(.invalidResponse, "expected a log list, got \(value)") }
        return list.map { entry in
            BrowserLogEntry(level: entry["level"]?.stringValue ?? "INFO",
                            message: entry["message"]?.stringValue ?? "",
                            source: entry["source"]?.stringValue,
                            timestamp: Date(timeIntervalSince1970: (entry["timestamp"]?.doubleValue ?? 0) / 1000))
        }
    }
}
