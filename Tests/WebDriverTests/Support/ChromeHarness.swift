import Foundation
import Logging
import Testing
@testable import WebDriver

/// Starts chromedriver + Chromium for a test and checks afterwards that every process it saw is gone.
enum ChromeHarness {
    /// chromedriver and Chromium must be installed: a missing tool fails the test (CI installs them).
    static func requireTools() throws {
        let env = ProcessInfo.processInfo.environment
        let driver = ChromeDriverService.Configuration.fromEnvironment().executable
        guard ExecutableLookup.find(driver, environment: env) != nil else {
            throw HarnessError("chromedriver `\(driver)` not found: install chromium-driver (Debian) or set CHROMEDRIVER")
        }
        let browser = ChromeOptions.fromEnvironment().binary ?? "chromium"
        guard ExecutableLookup.find(browser, environment: env) != nil else {
            throw HarnessError("browser `\(browser)` not found: install chromium (Debian) or set CHROME_BINARY")
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "WebDriverTests")
        logger.logLevel = .warning
        return logger
    }

    static var driver: ChromeDriverService.Configuration {
        var configuration = ChromeDriverService.Configuration.fromEnvironment()
        configuration.startupTimeout = .seconds(15)
        configuration.commandTimeout = .seconds(30)
        return configuration
    }

    static func options(profile: String? = nil) -> ChromeOptions {
        var options = ChromeOptions.fromEnvironment()
        options.userDataDirectory = profile
        options.timeouts = WebDriverTimeouts(script: .seconds(10), pageLoad: .seconds(15), implicit: .zero)
        return options
    }

    /// Runs `body` with its own chromedriver (``driver`` unless given); afterwards expects that
    /// none of the processes the service reported (chromedriver, Chromium and helpers) is still alive.
    static func withService<T>(_ configuration: ChromeDriverService.Configuration = driver, isolation: isolated (any Actor)? = #isolation,
                               _ body: (ChromeDriverService, ProcessWatch) async throws -> T) async throws -> T {
        try requireTools()
        let watch = ProcessWatch()
        let result: T
        do {
            result = try await ChromeDriverService.withService(configuration, logger: logger) { service in
                watch.record(service.processIDs())
                defer { watch.record(service.processIDs()) }
                return try await body(service, watch)
            }
        } catch {
            watch.expectAllGone()
            throw error
        }
        watch.expectAllGone()
        return result
    }

    /// Runs `body` with one session on its own chromedriver; see ``withService(isolation:_:)``.
    static func withSession<T>(_ options: ChromeOptions = options(), isolation: isolated (any Actor)? = #isolation,
                               _ body: (WebDriverSession) async throws -> T) async throws -> T {
        try await withService { service, watch in
            try await service.withSession(options) { session in
                watch.record(service.processIDs())
                defer { watch.record(service.processIDs()) }
                return try await body(session)
            }
        }
    }

    /// A fresh directory under the temporary directory; remove it with `removeItem`.
    static func temporaryDirectory(_ name: String = #function) throws -> String {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let path = NSTemporaryDirectory() + "/webdriver-tests-\(safe)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
