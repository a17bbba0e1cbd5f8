import ApplianceDomain
import ApplianceHTTP
import ApplianceStorage
import ApplianceWhatsAppWeb
import Logging
import NIOPosix
import Synchronization

/// The appliance's object graph, wired in one place: data directory, storage pool, live feed,
/// tenants, accounts, scheduler, providers, WhatsApp Web and the services the HTTP routes call.
/// `serve`, the offline commands, the tests and the bench all build it with ``open(_:_:)``;
/// ``buildApplication(_:extraServices:)`` puts the HTTP server and the background services on top.
public final class Appliance: Sendable {
    public let options: ApplianceOptions
    public let dependencies: ApplianceDependencies
    public let data: DataDirectory
    public let pool: NIOThreadPool
    public let feed: LiveFeed
    public let context: TenantContext
    public let registry: TenantRegistry
    public let accounts: AccountService
    /// The confirmation jobs' timer wheel; nil without messaging.
    public let scheduler: MessageScheduler?
    /// The providers jobs are sent through.
    public let providers: [Settings.Provider: any MessageProvider]
    /// WhatsApp Web, when configured.
    public let whatsAppWeb: WhatsAppWeb?
    /// What the HTTP routes call.
    public let services: ApplianceServices
    /// Shopify write-backs (with messaging only).
    public let writeBacks: ShopifyOutbox?
    let messagingSystem = Mutex<Task<MessagingSystem, Never>?>(nil)
    let closed = Mutex(false)

    init(options: ApplianceOptions, dependencies: ApplianceDependencies, data: DataDirectory, pool: NIOThreadPool, feed: LiveFeed,
         context: TenantContext, registry: TenantRegistry, accounts: AccountService, scheduler: MessageScheduler?,
         providers: [Settings.Provider: any MessageProvider], whatsAppWeb: WhatsAppWeb?, services: ApplianceServices,
         writeBacks: ShopifyOutbox?) {
        self.options = options
        self.dependencies = dependencies
        self.data = data
        self.pool = pool
        self.feed = feed
        self.context = context
        self.registry = registry
        self.accounts = accounts
        self.scheduler = scheduler
        self.providers = providers
        self.whatsAppWeb = whatsAppWeb
        self.services = services
        self.writeBacks = writeBacks
    }

    /// Opens (initialising when asked) the data directory and loads every tenant.
    public static func open(_ options: ApplianceOptions, _ dependencies: ApplianceDependencies) async throws -> Appliance {
        let logger = dependencies.logger
        let data = DataDirectory(root: options.dataDir, fs: dependencies.fs)
        if options.initialize { try data.initialize() } else { try data.checkFormat() }
        let pool = NIOThreadPool(numberOfThreads: options.storageThreads)
        pool.start()
        let feed = LiveFeed(bufferSize: options.server.liveBufferFrames, render: LiveFrame.render, renderStatus: WhatsAppStatusFrame.render)
        let wall = dependencies.wallClock ?? dependencies.clock
        var context = TenantContext(fs: dependencies.fs, pool: pool, clock: wall, feed: feed, logger: logger,
                                    compactAfterRecords: options.compactAfterRecords, onFatal: dependencies.onFatal)
        context.retryPolicy = options.retryPolicy
        var scheduler: MessageScheduler?
        if options.messaging {
            let s = MessageScheduler(clock: dependencies.clock, tickMillis: options.schedulerTickMillis, logger: logger)
            context.jobs = s
            scheduler = s
        }
        // WhatsApp Web's runtime link status, read by the tenants (their WhatsApp status).
        let board = options.whatsAppWeb.map { WebLinkBoard(chromeDataDir: $0.chromeDataDir) }
        context.webLinks = board
        let writeBackSink = DeferredWriteBackSink()
        if options.messaging { context.writeBacks = writeBackSink }
        let registry: TenantRegistry
        do {
            registry = try await TenantRegistry.open(data: data, context: context)
        } catch {
            try? await pool.shutdownGracefully()
            throw error
        }
        var whatsAppWeb: WhatsAppWeb?
        if let configuration = options.whatsAppWeb, let board {
            whatsAppWeb = WhatsAppWeb(configuration: configuration, board: board, registry: registry, clock: dependencies.clock, logger: logger)
        }
        let providers = dependencies.providers ?? MessagingSystem.providers(
            graphURL: options.graphURL, transport: dependencies.transport, timeoutMillis: options.cloudTimeoutMillis,
            web: whatsAppWeb?.provider)
        let key = try data.signingKey()
        let rules = SignupRules(policy: options.signup, perAddressPerHour: options.signupLimit,
                                invites: InviteBook(root: data.root, fs: dependencies.fs))
        let accounts = AccountService(registry: registry, signer: TokenSigner(key: key), pool: pool, hasher: dependencies.hasher, clock: wall,
                                      signupRules: rules)
        var services = ApplianceServices(registry: registry, accounts: accounts, feed: feed, cursors: OrderCursor(key: key), clock: wall)
        services.metrics = dependencies.metrics
        services.whatsapp = WhatsAppActions(linker: whatsAppWeb, chromeDataDir: options.server.chromeDataDir, providers: providers)
        let shopifyClient = ShopifyAdminClient(baseURL: options.shopifyAdminURL, transport: dependencies.transport,
                                               timeoutMillis: options.shopifyTimeoutMillis)
        services.shopify = ShopifyAdminActions(client: shopifyClient)
        var writeBacks: ShopifyOutbox?
        if options.messaging {
            let outbox = ShopifyOutbox(registry: registry, client: shopifyClient, clock: dependencies.clock, logger: logger)
            writeBackSink.attach(outbox)
            writeBacks = outbox
        }
        return Appliance(options: options, dependencies: dependencies, data: data, pool: pool, feed: feed, context: context,
                         registry: registry, accounts: accounts, scheduler: scheduler, providers: providers, whatsAppWeb: whatsAppWeb,
                         services: services, writeBacks: writeBacks)
    }

    /// Recovers every tenant's jobs and connects the scheduler to the dispatcher, once; later
    /// calls return the same system. `serve` calls it when the server listens (re-arming a
    /// million jobs need not delay the first webhook); tests call it right after ``open(_:_:)``.
    /// Nil without messaging.
    @discardableResult
    public func startMessaging() async -> MessagingSystem? {
        guard let scheduler else { return nil }
        let task = messagingSystem.withLock { running in
            if let running { return running }
            let (registry, clock, providers, logger, limits) = (registry, dependencies.clock, providers, dependencies.logger, options.limits)
            let writeBacks = self.writeBacks
            let task = Task {
                if let writeBacks {
                    let pending = await writeBacks.recover()
                    logger.info("shopify write-backs ready", metadata: ["orders_pending": "\(pending)"])
                }
                return await MessagingSystem.start(registry: registry, scheduler: scheduler, clock: clock, providers: providers,
                                                   logger: logger, limits: limits)
            }
            running = task
            return task
        }
        return await task.value
    }

    /// Stops WhatsApp Web, flushes and closes every journal, then stops the storage pool. Idempotent.
    public func close() async {
        let first = closed.withLock { c in
            defer { c = true }
            return !c
        }
        guard first else { return }
        await whatsAppWeb?.shutdown()
        await registry.closeAll()
        try? await pool.shutdownGracefully()
    }
}
