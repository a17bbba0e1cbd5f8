import ApplianceCoding
import Foundation
import Logging
import WebDriver

/// One Chromium on one tenant's profile, with the chromedriver that started it. Each browser
/// has its own chromedriver so that closing it can always kill the whole process group, even
/// when the browser hangs.
struct WebBrowser: Sendable {
    let tenantID: Int
    let profile: String
    let service: ChromeDriverService
    let session: WebDriverSession

    /// Starts chromedriver and Chromium on `profile` (created 0700 when missing; a stale
    /// `Singleton*` lock of a crashed Chrome is removed first). Nothing is left running when it throws.
    static func launch(tenantID: Int, profile: String, configuration: WhatsAppWebConfiguration, logger: Logger) async throws -> WebBrowser {
        try FileManager.default.createDirectory(atPath: profile, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let service = try await ChromeDriverService.start(configuration.driver, logger: logger)
        do {
            var options = ChromeOptions(binary: configuration.chromeBinary, headless: configuration.headless, userDataDirectory: profile)
            options.windowSize = (width: 1280, height: 900)
            options.additionalArguments = Self.arguments + configuration.chromeArguments
            options.timeouts = WebDriverTimeouts(script: .seconds(20), pageLoad: configuration.timeouts.pageLoad, implicit: .zero)
            options.pageLoadStrategy = "eager"
            options.clearsStaleProfileLock = .assumeStale
            let session = try await service.newSession(options)
            let browser = WebBrowser(tenantID: tenantID, profile: profile, service: service, session: session)
            await browser.presentAsDesktopChrome(logger: logger)
            return browser
        } catch {
            await service.shutdown()
            throw error
        }
    }

    /// Flags that keep a server Chromium small and quiet, and its page running at full speed
    /// although nobody looks at it (no timer throttling of a "background" tab).
    static let arguments = [
        "--lang=en-US", "--disable-extensions", "--disable-background-networking", "--disable-sync",
        "--disable-default-apps", "--mute-audio", "--no-pings", "--disable-features=Translate,MediaRouter,OptimizationHints",
        "--disable-component-update", "--metrics-recording-only",
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows",
    ]

    /// WhatsApp Web refuses browsers that call themselves `HeadlessChrome`: present the desktop
    /// user agent instead (over the DevTools protocol; best effort).
    func presentAsDesktopChrome(logger: Logger) async {
        do {
            guard let agent = try await session.executeScript("return navigator.userAgent").stringValue,
                  agent.contains("HeadlessChrome") else { return }
            let desktop = agent.replacingOccurrences(of: "HeadlessChrome", with: "Chrome")
            try await session.client.send(.post, "/session/\(session.id)/goog/cdp/execute",
                                          ["cmd": "Network.setUserAgentOverride", "params": ["userAgent": .string(desktop)]])
        } catch {
            logger.debug("could not set the desktop user agent", metadata: ["error": "\(error)"])
        }
    }

    /// Ends the session (Chromium quits and flushes the profile), then stops chromedriver and
    /// kills whatever is left. Never throws; runs to completion even when cancelled.
    func close() async {
        await service.endSession(session)
        await service.shutdown()
    }

    /// Kills chromedriver and Chromium at once (a browser being abandoned).
    func kill() async {
        await service.shutdown()
    }

    /// The live processes of this browser (chromedriver, Chromium and its helpers).
    var processIDs: [Int32] { service.processIDs() }
}
