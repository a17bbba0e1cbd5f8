import NIOPosix
import ApplianceDomain
import ApplianceHTTP
import ApplianceWhatsAppWeb
import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// `serve`: the HTTP API, dashboard feed and webhooks. Stops gracefully on SIGTERM/SIGINT:
/// stops accepting, finishes requests in flight, then flushes and closes every journal.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server.")

    @OptionGroup var options: DataDirOption
    @Option(help: "Address to listen on (env HOST).") var host: String = Environment.string("HOST", "127.0.0.1")
    @Option(help: "Port to listen on (env PORT).") var port: Int = Environment.int("PORT", 8000)
    @Option(help: "Browser profiles folder (env CHROME_DATA_DIR).") var chromeDataDir: String = Environment.string("CHROME_DATA_DIR", "./chrome_data")
    @Option(help: "Base URL merchants reach the server at, for webhook URLs (env PUBLIC_URL).") var publicURL: String? = Environment.optional("PUBLIC_URL")
    @Option(help: "Most Chromes running at once (env MAX_BROWSERS).") var maxBrowsers: Int = Environment.int("MAX_BROWSERS", 1)
    @Option(help: "Seconds between WhatsApp Web health checks (env WEB_POLL_SECONDS).") var webPollSeconds: Int = Environment.int("WEB_POLL_SECONDS", 60)
    @Option(help: "Largest Shopify body in bytes, 2–10 MiB (env MAX_WEBHOOK_BYTES).") var maxWebhookBytes: Int = Environment.int("MAX_WEBHOOK_BYTES", 5 << 20)
    @Flag(help: "Trust X-Forwarded-For from a loopback reverse proxy (env TRUST_PROXY=1).") var trustProxy = Environment.optional("TRUST_PROXY") == "1"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env LOG_LEVEL).") var logLevel: String = Environment.string("LOG_LEVEL", "info")
    @Option(help: "Serve the dashboard from this folder, re-read on each request, instead of the embedded files (development; env DASHBOARD_DIR).")
    var dashboardDir: String? = Environment.optional("DASHBOARD_DIR")
    @Option(help: "Bearer token that opens /metrics to non-loopback clients; without it only direct loopback clients may read it (env METRICS_TOKEN).")
    var metricsToken: String? = Environment.optional("METRICS_TOKEN")
    @OptionGroup var backups: BackupScheduleOptions
    @OptionGroup var web: WhatsAppWebOptions

    func run() async throws {
        try await refusingOnError {
            let logger = Logger.cli("shopify-whatsapp", level: logLevel)
            let metrics = MetricsBootstrap.prometheus()
            var runtime = Runtime.make(dataDir: options.dataDir, logger: logger)
            let clock = SystemSchedulerClock()
            let scheduler = MessageScheduler(clock: clock, logger: logger)
            runtime.context.jobs = scheduler
            // WhatsApp Web's runtime link status, read by the tenants (their WhatsApp status).
            let webLinks = WebLinkBoard(chromeDataDir: chromeDataDir)
            runtime.context.webLinks = webLinks
            try runtime.data.initialize()
            let lock = try DataDirectoryLock(root: runtime.data.root)
            let started = ContinuousClock.now
            let registry = try await TenantRegistry.open(data: runtime.data, context: runtime.context)
            var orders = 0
            for tenant in registry.readyTenants { orders += await tenant.orderCount }
            let bootTime = ContinuousClock.now - started
            // Loading decoded and dropped a lot of temporary memory; hand the free pages back.
            HeapTrim.releaseFreePages()
            logger.info("data loaded", metadata: [
                "tenants": "\(registry.tenantIDs.count)", "orders": "\(orders)",
                "unavailable": "\(registry.unavailableTenants.count)", "took": "\(bootTime)"])
            let graphURL = Environment.string("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
            let whatsAppWeb = WhatsAppWeb(
                configuration: web.configuration(chromeDataDir: chromeDataDir, dataDir: runtime.data.root, maxBrowsers: maxBrowsers,
                                                 pollSeconds: webPollSeconds),
                board: webLinks, registry: registry, clock: clock, logger: logger)
            let providers = MessagingSystem.providers(graphURL: graphURL, transport: AsyncHTTPTransport(), web: whatsAppWeb.provider)
            let key = try runtime.data.signingKey()
            let accounts = AccountService(registry: registry, signer: TokenSigner(key: key), pool: .singleton, clock: clock)
            var services = ApplianceServices(registry: registry, accounts: accounts, feed: runtime.feed,
                                             cursors: OrderCursor(key: key), clock: clock)
            services.metrics = metrics
            services.whatsapp = WhatsAppActions(linker: whatsAppWeb, chromeDataDir: chromeDataDir, providers: providers)
            let serverOptions = ServerOptions(host: host, port: port, publicURL: publicURL, maxWebhookBytes: maxWebhookBytes,
                                              trustProxy: trustProxy, chromeDataDir: chromeDataDir,
                                              dashboardDirectory: dashboardDir, metricsToken: metricsToken)
            let store = StoreService(registry: registry, logger: logger)
            let backupServices = try backups.services(dataDir: options.dataDir, logger: logger)
            // Jobs are re-armed once the server listens (a million of them take a while;
            // webhooks need not wait for that). The scheduler takes nothing off its wheel until
            // the dispatcher is connected, so jobs armed by new orders meanwhile simply wait.
            let app = ApplianceApplication.build(
                services: services, options: serverOptions, lifecycleServices: [store, scheduler, whatsAppWeb] + backupServices,
                logger: logger,
                onServerRunning: { _ in
                    Task {
                        _ = await MessagingSystem.start(registry: registry, scheduler: scheduler, clock: clock, providers: providers, logger: logger)
                    }
                })
            try await app.runService()
            await runtime.shutdown()
            withExtendedLifetime(lock) {}
            logger.info("stopped")
        }
    }
}

/// Keeps the journals open while the server runs; on graceful shutdown (after the HTTP server
/// has drained) flushes and closes them.
struct StoreService: Service, CustomStringConvertible {
    let registry: TenantRegistry
    let logger: Logger
    var description: String { "StoreService" }

    func run() async throws {
        try? await gracefulShutdown()
        await registry.closeAll()
        logger.info("journals flushed and closed")
    }
}
