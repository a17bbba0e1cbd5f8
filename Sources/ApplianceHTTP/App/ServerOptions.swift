/// How the HTTP server is set up.
public struct ServerOptions: Sendable {
    public var host: String
    public var port: Int
    /// The base URL merchants use to reach the server (for webhook URLs).
    public var publicURL: String
    /// Largest Shopify body accepted (between 2 and 10 MiB; larger → 413).
    public var maxWebhookBytes: Int
    /// Largest body of any other route.
    public var maxJSONBytes: Int
    /// Frames a dashboard may have unsent before it is cut off.
    public var liveBufferFrames: Int
    /// Trust `X-Forwarded-For` from a loopback peer (the reverse proxy) for the client address.
    public var trustProxy: Bool
    /// The browser profiles folder (`chrome_data/`).
    public var chromeDataDir: String
    /// Serve the dashboard from this folder, read on each request (development), instead of
    /// the files embedded in the binary.
    public var dashboardDirectory: String?
    /// A bearer token that opens `/metrics` to non-loopback clients (else loopback only).
    public var metricsToken: String?
    /// Seconds a request's head and body may take from its first byte (`--request-timeout`).
    public var requestTimeoutSeconds = 30
    /// Seconds a connection with no request in progress stays open without a byte (`--idle-timeout`).
    public var idleTimeoutSeconds = 75

    public init(host: String = "127.0.0.1", port: Int = 8000, publicURL: String? = nil, maxWebhookBytes: Int = 5 << 20,
                maxJSONBytes: Int = 1 << 20, liveBufferFrames: Int = 1024, trustProxy: Bool = false,
                chromeDataDir: String = "./chrome_data", dashboardDirectory: String? = nil, metricsToken: String? = nil) {
        self.metricsToken = metricsToken
        self.chromeDataDir = chromeDataDir
        self.dashboardDirectory = dashboardDirectory
        self.host = host
        self.port = port
        var url = publicURL ?? "http://\(host):\(port)"
        while url.hasSuffix("/") { url.removeLast() }
        self.publicURL = url
        self.maxWebhookBytes = min(max(maxWebhookBytes, 2 << 20), 10 << 20)
        self.maxJSONBytes = maxJSONBytes
        self.liveBufferFrames = liveBufferFrames
        self.trustProxy = trustProxy
    }

    /// The Shopify webhook URL of tenant `id` (the generic route: one URL for every topic).
    public func webhookURL(for id: Int) -> String { "\(publicURL)/api/v1/webhooks/\(id)" }
}
