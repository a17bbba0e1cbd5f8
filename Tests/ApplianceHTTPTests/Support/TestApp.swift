import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import ApplianceServer
import ApplianceStorage
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOPosix
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Real time plus an offset a test can move forward.
final class TestClock: WallClock {
    private let offset = Atomic<Int64>(0)

    init() {}

    func now() -> Int64 { SystemWallClock().now() + offset.load(ordering: .relaxed) }

    func advance(seconds: Int64) { offset.add(seconds * 1000, ordering: .relaxed) }
}

/// The application built by the composition root `serve` uses (`buildApplication`), over a
/// real data directory in a temp folder: real files, real fsync. Only the Argon2 parameters are
/// cheap, to keep the suite fast.
struct TestApp: Sendable {
    /// The data root (`data/`).
    let root: String
    let appliance: Appliance
    let clock: TestClock
    /// The scheduler and dispatcher, when the app was opened with ``MessagingSetup``.
    let messaging: MessagingHarness?

    var data: DataDirectory { appliance.data }
    var feed: LiveFeed { appliance.feed }
    var context: TenantContext { appliance.context }
    var registry: TenantRegistry { appliance.registry }
    var accounts: AccountService { appliance.accounts }
    var services: ApplianceServices { appliance.services }
    var options: ServerOptions { appliance.options.server }
    var logger: Logger { appliance.dependencies.logger }

    static let publicURL = "https://orders.example.test"

    /// Router tests: a public URL with a trailing slash (it must be trimmed in webhook URLs).
    static let routerOptions = ServerOptions(port: 0, publicURL: publicURL + "/")
    /// Live tests: an ephemeral port on loopback.
    static let liveOptions = ServerOptions(host: "127.0.0.1", port: 0, publicURL: publicURL)

    /// Opens (initialising if needed) the data directory at `root`.
    /// With `messaging`, the scheduler, dispatcher and providers are wired as `serve` wires them
    /// (the scheduler is the tenants' job sink, messaging starts once the registry is open), on
    /// the setup's ``ManualClock``, which then is every component's clock. The scheduler's
    /// service loop is not run: ``MessagingHarness/advance(by:)`` moves the clock and ticks it.
    /// `fs` replaces the file system under the journals (fault injection).
    static func open(root: String, options: ServerOptions = routerOptions, clock: TestClock = TestClock(),
                     messaging setup: MessagingSetup? = nil, fs: (any FileSystem)? = nil) async throws -> TestApp {
        var appOptions = ApplianceOptions(dataDir: root, server: options)
        appOptions.storageThreads = 2
        appOptions.messaging = setup != nil
        appOptions.schedulerLoop = false
        appOptions.closeOnShutdown = false
        // The suites make many merchants.
        appOptions.signup = .open
        appOptions.signupLimit = 100_000
        var dependencies = ApplianceDependencies(logger: Logger(label: "appliance-http-tests", factory: { _ in SwiftLogNoOpLogHandler() }),
                                                 onFatal: { error in Issue.record("fsync failed: \(error)") })
        dependencies.hasher = PasswordHasher(memoryKiB: 1024, iterations: 1, parallelism: 1)
        if let fs { dependencies.fs = fs }
        dependencies.wallClock = setup?.clock ?? clock
        if let setup {
            dependencies.clock = setup.clock
            appOptions.graphURL = setup.graphURL
            appOptions.cloudTimeoutMillis = setup.timeoutMillis
            appOptions.limits = setup.limits
            if let retryPolicy = setup.retryPolicy { appOptions.retryPolicy = retryPolicy }
            if let transport = setup.transport { dependencies.transport = transport }
            dependencies.providers = setup.providers
        }
        let appliance = try await Appliance.open(appOptions, dependencies)
        var harness: MessagingHarness?
        if let setup, let system = await appliance.startMessaging() {
            harness = MessagingHarness(clock: setup.clock, scheduler: system.scheduler, system: system)
        }
        return TestApp(root: appliance.data.root, appliance: appliance, clock: clock, messaging: harness)
    }

    /// Runs `body` against the application (`.router` by default, `.live` for WebSockets).
    func test<T: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await buildApplication(appliance).test(setup, body)
    }

    /// Flushes and closes every journal, then stops the storage pool (what `serve` does on SIGTERM).
    func shutdown() async {
        await appliance.close()
    }

    /// A token for `userID` as the server would sign it, issued at `issuedAt` (seconds).
    func token(userID: Int, issuedAt: Int64) throws -> String {
        TokenSigner(key: try data.signingKey()).sign(userID: userID, now: issuedAt)
    }

    /// The tenant folder `data/<id>/`.
    func tenantPath(_ id: Int) -> String { data.tenantPath(id) }
}

/// A fresh data directory (0700) for one test, removed afterwards.
func withDataDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array((NSTemporaryDirectory() + "/appliance-http-tests-XXXXXX").utf8CString)
    let parent: String = try template.withUnsafeMutableBufferPointer { buffer in
        guard let p = mkdtemp(buffer.baseAddress!) else { throw CocoaError(.fileWriteUnknown) }
        return String(cString: p)
    }
    defer { try? FileManager.default.removeItem(atPath: parent) }
    return try await body(parent + "/data")
}

/// Opens a fresh application, runs `body` on it, shuts it down and removes its files.
func withTestApp<T>(options: ServerOptions = TestApp.routerOptions, _ body: (TestApp) async throws -> T) async throws -> T {
    try await withDataDirectory { root in
        let app = try await TestApp.open(root: root, options: options)
        do {
            let result = try await body(app)
            await app.shutdown()
            return result
        } catch {
            await app.shutdown()
            throw error
        }
    }
}

/// The common case: one application, one router client.
func withRouterClient(_ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void) async throws {
    try await withTestApp { app in
        try await app.test(.router) { client in try await body(app, client) }
    }
}

/// The common live case: one application on an ephemeral port, one live client.
func withLiveClient(_ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void) async throws {
    try await withTestApp(options: TestApp.liveOptions) { app in
        try await app.test(.live) { client in try await body(app, client) }
    }
}

/// Runs `body` twice, each time on a fresh application: through the router (HummingbirdTesting's
/// `.router`), then on a live server on loopback, where the common Shopify delivery is answered
/// on the event loop by `WebhookChannelHandler` and everything else by the router. The webhook
/// suites use it, so both paths must give the same answers and store the same things.
func withEachClient(_ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void) async throws {
    try await withRouterClient(body)
    try await withLiveClient(body)
}

/// Fails the test instead of hanging when `body` takes longer than `seconds`.
@discardableResult
func withTimeout<T: Sendable>(seconds: Double = 10, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimedOut(seconds: seconds)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

struct TimedOut: Error, CustomStringConvertible {
    let seconds: Double
    var description: String { "timed out after \(seconds) s" }
}

/// Polls `condition` until it holds (or fails the wait after `seconds`).
func eventually(seconds: Double = 10, _ what: String, _ condition: @Sendable () async -> Bool) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    while ContinuousClock.now < deadline {
        if await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw Waited(what: what)
}

struct Waited: Error, CustomStringConvertible {
    let what: String
    var description: String { "gave up waiting for \(what)" }
}
