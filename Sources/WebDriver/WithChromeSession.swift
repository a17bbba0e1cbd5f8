import Logging

/// Starts chromedriver and one Chromium session, runs `body`, then ends the session and stops
/// every process it started, whether `body` returns, throws or is cancelled.
///
/// ```swift
/// let title = try await withChromeSession { session in
///     try await session.navigate(to: "http://127.0.0.1:8080/")
///     return try await session.title
/// }
/// ```
/// - Parameters:
///   - options: browser flags and profile; `CHROME_BINARY` or `chromium` by default.
///   - driver: chromedriver settings; `CHROMEDRIVER` or `chromedriver` by default.
///   - logger: for process start/stop and commands.
///   - body: the work to do in the browser.
public func withChromeSession<T>(_ options: ChromeOptions = .fromEnvironment(),
                                 driver: ChromeDriverService.Configuration = .fromEnvironment(),
                                 logger: Logger = Logger(label: "WebDriver"),
                                 isolation: isolated (any Actor)? = #isolation,
                                 _ body: (WebDriverSession) async throws -> T) async throws -> T {
    try await ChromeDriverService.withService(driver, logger: logger) { service in
        try await service.withSession(options) { session in try await body(session) }
    }
}
