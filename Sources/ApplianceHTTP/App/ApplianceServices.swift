import ApplianceDomain
import Prometheus

/// The domain services the routes call.
public struct ApplianceServices: Sendable {
    public let registry: TenantRegistry
    public let accounts: AccountService
    public let ingest: WebhookIngest
    public let meta: MetaCallbackIngest
    public let feed: LiveFeed
    public let cursors: OrderCursor
    public let clock: any WallClock
    /// Where `/metrics` reads from (the registry `serve` bootstrapped swift-metrics with);
    /// nil → no `/metrics` route.
    public var metrics: PrometheusCollectorRegistry?
    /// Connect, disconnect and test messages (`/api/v1/admin/whatsapp/*`); WhatsApp Web stays
    /// unavailable until `serve` wires its module in.
    public var whatsapp = WhatsAppActions()
    /// The settings' "Test connection" (`POST /api/v1/admin/shopify/test`).
    public var shopify = ShopifyAdminActions(client: nil)

    public init(registry: TenantRegistry, accounts: AccountService, feed: LiveFeed, cursors: OrderCursor, clock: any WallClock) {
        self.registry = registry
        self.accounts = accounts
        self.ingest = WebhookIngest(registry: registry)
        self.meta = MetaCallbackIngest(registry: registry)
        self.feed = feed
        self.cursors = cursors
        self.clock = clock
    }
}
