import ApplianceCoding
import Foundation

/// How to start Chromium for a session: binary, flags, profile directory, timeouts.
///
/// ```swift
/// var options = ChromeOptions.fromEnvironment()
/// options.userDataDirectory = "/var/lib/app/chrome/tenant-42"
/// try await withChromeSession(options) { session in … }
/// ```
public struct ChromeOptions: Sendable {
    /// The browser executable: a path, or a name looked up on `PATH` when the session starts.
    /// Nil lets chromedriver pick its default browser.
    public var binary: String?
    /// Run without a display (`--headless=new`).
    public var headless: Bool
    /// The profile directory (`--user-data-dir`). Nil uses a throwaway profile that chromedriver
    /// deletes afterwards; set it to keep cookies and local storage between sessions.
    public var userDataDirectory: String?
    /// Initial window size in CSS pixels (`--window-size`); nil for Chrome's default.
    public var windowSize: (width: Int, height: Int)?
    /// Flags appended after the standard ones.
    public var additionalArguments: [String]
    /// More `goog:chromeOptions` members, e.g. `prefs` or `excludeSwitches`.
    public var extraChromeOptions: [String: JSONValue]
    /// More top-level capabilities, e.g. `unhandledPromptBehavior`.
    public var extraCapabilities: [String: JSONValue]
    /// The session's timeouts. Page load and script must stay below the driver's command timeout.
    public var timeouts: WebDriverTimeouts
    /// `normal` (wait for `load`), `eager` (DOMContentLoaded) or `none`.
    public var pageLoadStrategy: String?
    /// Accept self-signed TLS certificates.
    public var acceptsInsecureCertificates: Bool
    /// Collect every console message for ``WebDriverSession/browserLogs()``.
    public var capturesBrowserLogs: Bool
    /// When set, ``ChromeDriverService/newSession(_:)`` first clears a stale singleton lock in
    /// ``userDataDirectory`` (see ``ChromeProfileLock/clearStale(in:otherHosts:)``) with this
    /// policy for locks written under another hostname. Nil leaves the profile as it is.
    public var clearsStaleProfileLock: ChromeProfileLock.OtherHostPolicy?

    public init(binary: String? = "chromium", headless: Bool = true, userDataDirectory: String? = nil,
                windowSize: (width: Int, height: Int)? = (1280, 900), additionalArguments: [String] = [],
                extraChromeOptions: [String: JSONValue] = [:], extraCapabilities: [String: JSONValue] = [:],
                timeouts: WebDriverTimeouts = .standard, pageLoadStrategy: String? = nil,
                acceptsInsecureCertificates: Bool = false, capturesBrowserLogs: Bool = false,
                clearsStaleProfileLock: ChromeProfileLock.OtherHostPolicy? = nil) {
        self.binary = binary
        self.headless = headless
        self.userDataDirectory = userDataDirectory
        self.windowSize = windowSize
        self.additionalArguments = additionalArguments
        self.extraChromeOptions = extraChromeOptions
        self.extraCapabilities = extraCapabilities
        self.timeouts = timeouts
        self.pageLoadStrategy = pageLoadStrategy
        self.acceptsInsecureCertificates = acceptsInsecureCertificates
        self.capturesBrowserLogs = capturesBrowserLogs
        self.clearsStaleProfileLock = clearsStaleProfileLock
    }

    /// Defaults, with the binary from `CHROME_BINARY` (else `chromium` on `PATH`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> ChromeOptions {
        var options = ChromeOptions()
        if let binary = environment["CHROME_BINARY"], !binary.isEmpty { options.binary = binary }
        return options
    }

    /// Flags for a container or server: no sandbox (needs root-less namespaces otherwise), no GPU,
    /// no `/dev/shm` (often tiny in containers), no first-run UI, no keyring.
    public static let serverArguments = [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--no-default-browser-check", "--password-store=basic",
    ]

    /// The full command line flags, in order.
    public var arguments: [String] {
        var args: [String] = []
        if headless { args.append("--headless=new") }
        args += Self.serverArguments
        if let windowSize { args.append("--window-size=\(windowSize.width),\(windowSize.height)") }
        if let userDataDirectory { args.append("--user-data-dir=\(userDataDirectory)") }
        return args + additionalArguments
    }
}
