import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import ApplianceServer
import ApplianceWhatsAppWeb
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import Testing
import WebDriver
import WhatsAppWebFake

#if canImport(Glibc)
import Glibc
#endif

/// The appliance wired as `serve` wires it (`ServeCommand`), WhatsApp Web included, on the real
/// clock, over a data directory and a `chrome_data` folder in a temp folder, with WhatsApp Web
/// pointed at a ``FakeWhatsAppWeb``. Only the Argon2 parameters are cheap.
struct WebTestApp: Sendable {
    let dataDir: String
    let chromeDir: String
    let appliance: Appliance
    var feed: LiveFeed { appliance.feed }
    var registry: TenantRegistry { appliance.registry }
    var services: ApplianceServices { appliance.services }
    var scheduler: MessageScheduler { appliance.scheduler! }
    var web: WhatsAppWeb { appliance.whatsAppWeb! }
    var logger: Logger { appliance.dependencies.logger }

    /// The module's configuration for tests: fast polls, short time limits, no pacing.
    static func configuration(fake: FakeWhatsAppWeb, dataDir: String, chromeDir: String) -> WhatsAppWebConfiguration {
        var c = WhatsAppWebConfiguration(baseURL: fake.baseURL, chromeDataDir: chromeDir, dataDir: dataDir, maxBrowsers: 1,
                                         pollInterval: .seconds(600))
        c.initialCheckDelay = .zero
        c.idleTimeout = .seconds(30)
        c.batchGrace = .milliseconds(400)
        c.pacing = .none
        c.timeouts.screen = .seconds(15)
        c.timeouts.sentTick = .seconds(3)
        c.timeouts.bubble = .seconds(5)
        c.timeouts.send = .seconds(60)
        c.timeouts.leaseWait = .seconds(120)
        c.timeouts.healthCheck = .seconds(60)
        c.timeouts.poll = .milliseconds(100)
        c.linking.qrLifetime = .milliseconds(fake.configuration.qrRotationMillis)
        c.linking.maxCodes = 6
        c.linking.timeout = .seconds(60)
        c.linking.settle = .milliseconds(300)
        c.driver.startupTimeout = .seconds(30)
        c.driver.commandTimeout = .seconds(30)
        return c
    }

    /// Opens (initialising if needed) `<folder>/data` with `<folder>/chrome_data`, through the
    /// composition root `serve` uses.
    static func open(folder: String, fake: FakeWhatsAppWeb,
                     configure: (inout WhatsAppWebConfiguration) -> Void = { _ in }) async throws -> WebTestApp {
        // Warnings and errors go to the test output: a failed step says there why.
        let logger = Logger(label: "whatsapp-web-tests", factory: { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        })
        let dataDir = folder + "/data", chromeDir = folder + "/chrome_data"
        var configuration = configuration(fake: fake, dataDir: dataDir, chromeDir: chromeDir)
        configure(&configuration)
        var options = ApplianceOptions(dataDir: dataDir, server: ServerOptions(
            host: "127.0.0.1", port: 0, publicURL: "https://orders.example.test", chromeDataDir: chromeDir))
        options.storageThreads = 2
        options.schedulerTickMillis = 100
        options.graphURL = "http://127.0.0.1:9/v21.0"
        options.whatsAppWeb = configuration
        // The test closes the appliance itself (``close()``), after ``run(_:)``.
        options.closeOnShutdown = false
        options.signup = .open
        options.signupLimit = 100_000
        var dependencies = ApplianceDependencies(logger: logger, onFatal: { error in Issue.record("fsync failed: \(error)") })
        dependencies.hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
        let appliance = try await Appliance.open(options, dependencies)
        await appliance.startMessaging()
        return WebTestApp(dataDir: dataDir, chromeDir: chromeDir, appliance: appliance)
    }

    /// Runs the server (HTTP, WebSocket, scheduler, WhatsApp Web) on an ephemeral port with a
    /// live client; afterwards everything is stopped, every browser ended.
    func run<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await buildApplication(appliance).test(.live, body)
    }

    /// Closes WhatsApp Web, the journals and the storage pool (after ``run(_:)``).
    func close() async {
        await appliance.close()
    }

    func profile(_ id: Int) -> String { chromeDir + "/\(id)" }
    func tenantFolder(_ id: Int) -> String { dataDir + "/\(id)" }
}

/// A fresh temp folder for one test, removed afterwards.
func withTempFolder<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array((NSTemporaryDirectory() + "/whatsapp-web-tests-XXXXXX").utf8CString)
    let folder: String = try template.withUnsafeMutableBufferPointer { buffer in
        guard let p = mkdtemp(buffer.baseAddress!) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: p)
    }
    defer { try? FileManager.default.removeItem(atPath: folder) }
    return try await body(folder)
}

/// A started fake WhatsApp Web for `body`, stopped afterwards.
func withFakeSite<T>(_ configure: (inout FakeSiteConfiguration) -> Void = { _ in }, _ body: (FakeWhatsAppWeb) async throws -> T) async throws -> T {
    var configuration = FakeSiteConfiguration()
    configure(&configuration)
    let fake = try await FakeWhatsAppWeb.start(configuration)
    do {
        let result = try await body(fake)
        await fake.stop()
        return result
    } catch {
        await fake.stop()
        throw error
    }
}

/// The usual test: a fake site, a temp folder, the app running with a live client. Afterwards
/// every Chrome and chromedriver the app started must be gone.
func withWebApp(site: (inout FakeSiteConfiguration) -> Void = { _ in }, configure: (inout WhatsAppWebConfiguration) -> Void = { _ in },
                prepare: (_ folder: String) throws -> Void = { _ in },
                _ body: @escaping @Sendable (WebTestApp, FakeWhatsAppWeb, any TestClientProtocol) async throws -> Void) async throws {
    try ChromeProcesses.requireTools()
    try await withFakeSite(site) { fake in
        try await withTempFolder { folder in
            try prepare(folder)
            let app = try await WebTestApp.open(folder: folder, fake: fake, configure: configure)
            do {
                try await app.run { client in try await body(app, fake, client) }
                await app.close()
            } catch {
                await app.close()
                throw error
            }
            await ChromeProcesses.expectAllGone(app)
        }
    }
}
