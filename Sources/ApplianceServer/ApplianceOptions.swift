import ApplianceDomain
import ApplianceHTTP
import ApplianceWhatsAppWeb

/// What the composition root builds: the data directory, the HTTP server, which parts run.
/// `serve` fills it from its flags; tests and the bench from their set-ups.
public struct ApplianceOptions: Sendable {
    /// The data root (`data/`).
    public var dataDir: String
    /// Create the data root when it is missing (`serve`, `user add`); else it must exist.
    public var initialize = true
    /// The HTTP server (address, public URL, limits, `chrome_data/`).
    public var server: ServerOptions
    /// Wire the scheduler and the dispatcher (`serve`, messaging tests). Off for the offline
    /// tools, which write data and send nothing.
    public var messaging = true
    /// Run the scheduler's own tick loop as a service. Tests on a ``ManualClock`` tick it by hand.
    public var schedulerLoop = true
    /// The scheduler's tick.
    public var schedulerTickMillis: Int64 = 1000
    /// Flush and close every journal when the application shuts down (`serve`). Tests that run
    /// the application more than once on one appliance close it themselves.
    public var closeOnShutdown = true
    /// `WHATSAPP_GRAPH_URL`.
    public var graphURL = "https://graph.facebook.com/v21.0"
    /// `SHOPIFY_ADMIN_URL`: where Shopify write-backs go instead of `https://<shop domain>` (a local fake).
    public var shopifyAdminURL: String?
    /// One Shopify Admin API request's timeout.
    public var shopifyTimeoutMillis: Int64 = 15_000
    /// One Cloud API request's timeout.
    public var cloudTimeoutMillis: Int64 = 15_000
    /// The dispatcher's per-provider limits.
    public var limits = MessageDispatcher.defaultLimits
    /// Cloud API retries (backoff and attempts).
    public var retryPolicy = RetryPolicy()
    /// WhatsApp Web; nil when it is not wired (its jobs are held, linking is unavailable).
    public var whatsAppWeb: WhatsAppWebConfiguration?
    /// Threads for blocking storage work (fsync, snapshots).
    public var storageThreads = 4
    /// Who may sign up through the API (`--signup`).
    public var signup = SignupPolicy.first
    /// Sign-ups without an invite per client address per hour under `open` (`--signup-limit`).
    public var signupLimit = 10
    /// Compact a tenant after this many journal records since its snapshot.
    public var compactAfterRecords = 100_000

    public init(dataDir: String, server: ServerOptions = ServerOptions()) {
        self.dataDir = dataDir
        self.server = server
    }

    /// The options of a command that only reads or writes data (no messaging, no services).
    public static func offline(dataDir: String) -> ApplianceOptions {
        var options = ApplianceOptions(dataDir: dataDir)
        options.messaging = false
        options.schedulerLoop = false
        return options
    }
}
