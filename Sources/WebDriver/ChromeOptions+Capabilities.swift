import ApplianceCoding
import Foundation

extension ChromeOptions {
    /// The W3C capabilities for a new session (`browserName`, `goog:chromeOptions`, timeouts, …),
    /// with ``binary`` used as given. ``resolvedCapabilities(environment:)`` looks the binary up on `PATH` first.
    public var capabilities: JSONValue {
        capabilities(binaryPath: binary)
    }

    /// ``capabilities`` with ``binary`` resolved to a path.
    /// - Throws: ``WebDriverError`` `.launchFailed` when the binary is not found.
    public func resolvedCapabilities(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> JSONValue {
        guard let binary else { return capabilities(binaryPath: nil) }
        guard let path = ExecutableLookup.find(binary, environment: environment) else {
            throw WebDriverError(.launchFailed,
                                 "browser `\(binary)` not found or not executable (PATH=\(environment["PATH"] ?? "")); "
                                 + "set CHROME_BINARY or install chromium")
        }
        return capabilities(binaryPath: path)
    }

    func capabilities(binaryPath: String?) -> JSONValue {
        var chrome: [String: JSONValue] = ["args": .array(arguments.map { .string($0) })]
        if let binaryPath { chrome["binary"] = .string(binaryPath) }
        for (key, value) in extraChromeOptions { chrome[key] = value }
        var caps: [String: JSONValue] = [
            "browserName": "chrome",
            "goog:chromeOptions": .object(chrome),
            "timeouts": timeouts.json,
        ]
        if let pageLoadStrategy { caps["pageLoadStrategy"] = .string(pageLoadStrategy) }
        if acceptsInsecureCertificates { caps["acceptInsecureCerts"] = true }
        if capturesBrowserLogs { caps["goog:loggingPrefs"] = ["browser": "ALL"] }
        for (key, value) in extraCapabilities { caps[key] = value }
        return .object(caps)
    }
}
