import ApplianceDomain
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import WebDriver

/// WhatsApp Web for every tenant: linking by QR code (``connect(_:)``), paced sending
/// (``provider``), health checks that also read customers' replies, and test messages — all
/// over one pool of Chromes, one profile per tenant in `chrome_data/<id>/`.
///
/// Run it as a service of the server: its `run()` is the health loop, and on shutdown every
/// browser ends. Its ``board`` must be the `webLinks` of the tenants' context.
public final class WhatsAppWeb: Service, WhatsAppLinker, Sendable {
    public let configuration: WhatsAppWebConfiguration
    /// The runtime link state of every tenant.
    public let board: WebLinkBoard
    /// The selectors in force (built-in, with the operator's overrides).
    public let selectors: WebSelectors
    let registry: TenantRegistry
    let pool: BrowserPool
    let pacing: PacingBook
    let clock: any WallClock
    let logger: Logger
    let tasks = Mutex(BackgroundTasks())

    /// Work running beside the requests that started it, ended on disconnect or shutdown.
    struct BackgroundTasks {
        var links: [Int: Task<Void, Never>] = [:]
        var others: [UInt64: Task<Void, Never>] = [:]
        var next: UInt64 = 0
        var stopped = false
    }

    /// - Parameters:
    ///   - board: the same board the tenants were opened with (`TenantContext.webLinks`).
    ///   - registry: the tenants.
    public init(configuration: WhatsAppWebConfiguration, board: WebLinkBoard, registry: TenantRegistry,
                clock: any WallClock = SystemWallClock(), logger: Logger) {
        self.configuration = configuration
        self.board = board
        self.registry = registry
        self.clock = clock
        self.logger = logger
        self.selectors = WebSelectors.load(path: configuration.selectorsPath, logger: logger)
        self.pacing = PacingBook(pacing: configuration.pacing)
        let launchLogger = logger
        self.pool = BrowserPool(limit: configuration.maxBrowsers, idleTimeout: configuration.idleTimeout,
                                batchGrace: configuration.batchGrace, maxBatch: configuration.maxBatch, logger: logger) { tenantID in
            try await withThrowingDeadline(configuration.timeouts.launch) {
                try await WebBrowser.launch(tenantID: tenantID, profile: configuration.profilePath(tenantID),
                                            configuration: configuration, logger: launchLogger)
            }
        }
    }

    /// The `web` message provider.
    public var provider: WebProvider { WebProvider(web: self) }

    /// Pool counters (launches, reuses, peak).
    public func poolStats() async -> BrowserPoolStats { await pool.stats }

    /// Every process id the browsers reported (chromedriver, Chromium and helpers).
    public func processIDs() async -> Set<Int32> { await pool.processIDs }

    // MARK: Service

    /// The health loop; on graceful shutdown it stops and every browser ends.
    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.healthLoop() }
        await shutdown()
    }

    /// Cancels linking and background sends and ends every browser. Idempotent.
    public func shutdown() async {
        let running = tasks.withLock { t -> [Task<Void, Never>] in
            t.stopped = true
            defer { t.links = [:]; t.others = [:] }
            return Array(t.links.values) + Array(t.others.values)
        }
        for task in running { task.cancel() }
        await pool.shutdown()
        for task in running { await task.value }
        logger.info("WhatsApp Web stopped")
    }

    /// Runs `work` in the background (ended by shutdown); false when shutting down.
    @discardableResult
    func background(_ work: @escaping @Sendable () async -> Void) -> Bool {
        tasks.withLock { t in
            guard !t.stopped else { return false }
            let id = t.next
            t.next += 1
            t.others[id] = Task { [weak self] in
                await work()
                _ = self?.tasks.withLock { $0.others.removeValue(forKey: id) }
            }
            return true
        }
    }

    // MARK: Helpers

    /// The page of `browser`, with screenshots going to the tenant's folder.
    func page(_ browser: WebBrowser) -> WhatsAppWebPage {
        WhatsAppWebPage(session: browser.session, selectors: selectors, timeouts: configuration.timeouts,
                        screenshots: FailureScreenshots(directory: configuration.tenantPath(browser.tenantID),
                                                        keep: configuration.screenshotsKept, logger: logger))
    }

    /// Sets the tenant's state; when that changes what the merchant sees, tells the tenant
    /// (releases held jobs on a link, sends the `whatsapp.status` frame).
    func update(_ tenantID: Int, _ state: WebLinkState) async {
        let before = board.webLinkStatus(tenantID: tenantID)
        board.set(tenantID, state)
        guard board.webLinkStatus(tenantID: tenantID) != before || state.isConnected else { return }
        await notify(tenantID)
    }

    /// Lets the tenant react to a change of its WhatsApp Web status.
    func notify(_ tenantID: Int) async {
        guard let tenant = try? registry.tenant(tenantID) else { return }
        do {
            try await tenant.webLinkChanged()
        } catch {
            logger.error("cannot record the WhatsApp Web link change", metadata: ["tenant": "\(tenantID)", "error": "\(error)"])
        }
    }

    /// Logged in as of now (a send or a check saw the chats).
    func markConnected(_ tenantID: Int) async {
        await update(tenantID, .connected(verifiedAt: clock.now()))
    }
}
