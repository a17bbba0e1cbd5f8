import Foundation
import WebDriver

/// How the WhatsApp Web module runs: where WhatsApp Web and the profiles are, how many Chromes,
/// how often sessions are checked, the time limits of every step and the pacing of sends.
public struct WhatsAppWebConfiguration: Sendable {
    /// WhatsApp Web's address (`WHATSAPP_WEB_URL`, default `https://web.whatsapp.com`), no trailing slash.
    public var baseURL: String
    /// The browser profiles folder; tenant `n` uses `<chromeDataDir>/<n>/`.
    public var chromeDataDir: String
    /// The data root: tenant folders (`<dataDir>/<n>/`, where failure screenshots go) and the
    /// operator's selector file `<dataDir>/whatsapp-web-selectors.json`.
    public var dataDir: String
    /// Chromes running at once, all tenants together (`--max-browsers`).
    public var maxBrowsers: Int
    /// Time between two health checks of a linked tenant (`--web-poll-seconds`).
    public var pollInterval: Duration
    /// Time after start before the first health check round.
    public var initialCheckDelay: Duration
    /// A browser left unused this long is closed.
    public var idleTimeout: Duration
    /// While other tenants wait for a browser, a tenant that may send again at once keeps its
    /// browser this long after a send (its next message goes out in the same session).
    public var batchGrace: Duration
    /// At most this many messages in a row in one kept browser while other tenants wait.
    public var maxBatch: Int
    public var timeouts: WebTimeouts
    public var pacing: WebPacing
    public var linking: WebLinking
    /// chromedriver: executable (`CHROMEDRIVER`), start-up and command limits.
    public var driver: ChromeDriverService.Configuration
    /// The browser executable (`CHROME_BINARY`, default `chromium`).
    public var chromeBinary: String
    /// Run Chromium headless (always on a server; off only to watch a session while debugging).
    public var headless: Bool
    /// Extra Chromium flags.
    public var chromeArguments: [String]
    /// Failure screenshots kept per tenant (the oldest are deleted).
    public var screenshotsKept: Int

    public init(baseURL: String = "https://web.whatsapp.com", chromeDataDir: String = "./chrome_data", dataDir: String = "./data",
                maxBrowsers: Int = 1, pollInterval: Duration = .seconds(60)) {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        self.baseURL = url
        self.chromeDataDir = chromeDataDir
        self.dataDir = dataDir
        self.maxBrowsers = max(1, maxBrowsers)
        self.pollInterval = pollInterval
        self.initialCheckDelay = .seconds(2)
        self.idleTimeout = .seconds(90)
        self.batchGrace = .milliseconds(500)
        self.maxBatch = 20
        self.timeouts = WebTimeouts()
        self.pacing = WebPacing()
        self.linking = WebLinking()
        var driver = ChromeDriverService.Configuration.fromEnvironment()
        driver.startupTimeout = .seconds(30)
        driver.commandTimeout = .seconds(60)
        self.driver = driver
        self.chromeBinary = ChromeOptions.fromEnvironment().binary ?? "chromium"
        self.headless = true
        self.chromeArguments = []
        self.screenshotsKept = 20
    }

    /// The profile folder of tenant `id`.
    public func profilePath(_ id: Int) -> String { chromeDataDir + "/\(id)" }

    /// The data folder of tenant `id`.
    public func tenantPath(_ id: Int) -> String { dataDir + "/\(id)" }

    /// The operator's selector overrides.
    public var selectorsPath: String { dataDir + "/" + WebSelectors.fileName }
}
