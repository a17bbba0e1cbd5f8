import ApplianceDomain
import ApplianceStorage
import ApplianceHTTP
import ApplianceServer
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
    @Option(help: "Who may sign up: open (anyone, throttled per address), first (only the first account of an empty data directory), closed (invites only) (env SIGNUP).")
    var signup: String = Environment.string("SIGNUP", "first")
    @Option(help: "Sign-ups without an invite per client address per hour under --signup open (env SIGNUP_LIMIT).")
    var signupLimit: Int = Environment.int("SIGNUP_LIMIT", 10)
    @Option(help: "Seconds a request's head and body may take from its first byte (env REQUEST_TIMEOUT).")
    var requestTimeout: Int = Environment.int("REQUEST_TIMEOUT", 30)
    @Option(help: "Seconds an idle connection (no request in progress) stays open without a byte (env IDLE_TIMEOUT).")
    var idleTimeout: Int = Environment.int("IDLE_TIMEOUT", 75)
    @Flag(help: "Trust X-Forwarded-For from a loopback reverse proxy (env TRUST_PROXY=1).") var trustProxy = Environment.optional("TRUST_PROXY") == "1"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env LOG_LEVEL).") var logLevel: String = Environment.string("LOG_LEVEL", "info")
    @Option(help: "Serve the dashboard from this folder, re-read on each request, instead of the embedded files (development; env DASHBOARD_DIR).")
    var dashboardDir: String? = Environment.optional("DASHBOARD_DIR")
    @Option(help: "Bearer token that opens /metrics to non-loopback clients; without it only direct loopback clients may read it (env METRICS_TOKEN).")
    var metricsToken: String? = Environment.optional("METRICS_TOKEN")
    @Option(help: "How journal batches of several tenants are made durable together: joint (one syncfs per file system) or per-file (one fdatasync each, for a data directory on a file system other heavy writers share) (env JOURNAL_SYNC).")
    var journalSync: String = Environment.string("JOURNAL_SYNC", "joint")
    @OptionGroup var backups: BackupScheduleOptions
    @OptionGroup var web: WhatsAppWebOptions

    func run() async throws {
        try await refusingOnError {
            let logger = Logger.cli("shopify-whatsapp", level: logLevel)
            HeapTrim.returnLargeAllocations()
            let data = DataDirectory(root: options.dataDir)
            try data.initialize()
            let lock = try DataDirectoryLock(root: data.root)
            var appliance = ApplianceOptions(dataDir: options.dataDir, server: ServerOptions(
                host: host, port: port, publicURL: publicURL, maxWebhookBytes: maxWebhookBytes, trustProxy: trustProxy,
                chromeDataDir: chromeDataDir, dashboardDirectory: dashboardDir, metricsToken: metricsToken))
            appliance.initialize = false
            guard let policy = SignupPolicy(rawValue: signup) else { throw CLIFailure("--signup must be open, first or closed") }
            guard signupLimit >= 1 else { throw CLIFailure("--signup-limit must be at least 1") }
            guard requestTimeout >= 1, idleTimeout >= 1 else { throw CLIFailure("--request-timeout and --idle-timeout must be at least 1 second") }
            appliance.server.requestTimeoutSeconds = requestTimeout
            appliance.server.idleTimeoutSeconds = idleTimeout
            appliance.signup = policy
            appliance.signupLimit = signupLimit
            appliance.graphURL = Environment.string("WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0")
            appliance.shopifyAdminURL = Environment.optional("SHOPIFY_ADMIN_URL")
            appliance.whatsAppWeb = web.configuration(chromeDataDir: chromeDataDir, dataDir: data.root, maxBrowsers: maxBrowsers,
                                                      pollSeconds: webPollSeconds)
            guard journalSync == "joint" || journalSync == "per-file" else { throw CLIFailure("--journal-sync must be joint or per-file") }
            var dependencies = ApplianceDependencies(logger: logger)
            dependencies.fs = PosixFileSystem(jointSync: journalSync == "joint")
            dependencies.metrics = MetricsBootstrap.prometheus()
            let started = ContinuousClock.now
            let built = try await Appliance.open(appliance, dependencies)
            var orders = 0
            for tenant in built.registry.readyTenants { orders += await tenant.orderCount }
            // Loading decoded and dropped a lot of temporary memory; hand the free pages back.
            HeapTrim.releaseFreePages()
            logger.info("data loaded", metadata: [
                "tenants": "\(built.registry.tenantIDs.count)", "orders": "\(orders)",
                "unavailable": "\(built.registry.unavailableTenants.count)", "took": "\(ContinuousClock.now - started)"])
            let app = buildApplication(built, extraServices: try backups.services(dataDir: options.dataDir, logger: logger))
            try await app.runService()
            await built.close()
            withExtendedLifetime(lock) {}
            logger.info("stopped")
        }
    }
}
