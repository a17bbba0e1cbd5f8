import ApplianceDomain
import ArgumentParser
import Foundation
import WhatsAppWebFake

/// `bench web`: WhatsApp Web sending through the real `serve`, real headless Chromium and the
/// fake WhatsApp Web site (tick after 150 ms), pacing off (`WEB_MIN_GAP_SECONDS=0`, no caps,
/// no typing pause) so the browser work itself is measured: one tenant sending a batch, then
/// many tenants sharing `--max-browsers` Chromes. Reports time per message, messages per
/// minute, and the peak memory of the server with all its chromedrivers and Chromes.
struct WebBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "web", abstract: "WhatsApp Web sends per minute and peak memory against the fake site.")

    @Option(help: "Messages of the one-tenant batch.") var messages = 50
    @Option(help: "Tenants of the shared-pool runs.") var tenants = 10
    @Option(help: "Messages per tenant in the shared-pool runs.") var perTenant = 5
    @Option(help: "--max-browsers values of the shared-pool runs, comma-separated.") var browsers = "1,2"
    @Flag(help: "Keep the temporary data directories.") var keep = false
    @OptionGroup var binary: BinaryOption

    struct Scenario {
        var name: String
        var tenants: Int
        var perTenant: Int
        var maxBrowsers: Int
        var total: Int { tenants * perTenant }
    }

    func run() async throws {
        let bin = try binary.resolve()
        var site = FakeSiteConfiguration()
        site.autoLink = true
        let fake = try await FakeWhatsAppWeb.start(site)
        defer { Task { await fake.stop() } }
        print("binary: \(bin)\nfake WhatsApp Web: \(fake.baseURL) (tick after \(site.tickMillis) ms)\nmachine: \(ProcessInfo.processInfo.activeProcessorCount) cores\n")
        var scenarios = [Scenario(name: "1 tenant, batch of \(messages)", tenants: 1, perTenant: messages, maxBrowsers: 1)]
        for b in browsers.split(separator: ",").compactMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) {
            scenarios.append(Scenario(name: "\(tenants) tenants × \(perTenant), --max-browsers \(b)", tenants: tenants, perTenant: perTenant, maxBrowsers: b))
        }
        for scenario in scenarios { try await run(scenario, bin: bin, fake: fake) }
        await fake.stop()
    }

    func run(_ s: Scenario, bin: String, fake: FakeWhatsAppWeb) async throws {
        let root = try makeTempDirectory("bench-web")
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let port = try freePort()
        let server = try ServerRunner(binary: bin, dataDir: root + "/data", port: port, logPath: root + "/serve.log", environment: [
            "WHATSAPP_WEB_URL": fake.baseURL, "MAX_BROWSERS": String(s.maxBrowsers), "WEB_POLL_SECONDS": "3600",
            "WEB_MIN_GAP_SECONDS": "0", "WEB_GAP_JITTER": "0", "WEB_HOURLY_CAP": "0", "WEB_DAILY_CAP": "0",
            "WEB_TYPING_MS_PER_CHAR": "0", "LOG_LEVEL": "warning",
        ])
        defer { server.stop() }
        _ = try server.waitHealthy()
        let http = try BlockingHTTP(port: port)
        let secret = "shpss_bench_web_secret"
        var shops: [(id: Int, token: String)] = []
        for t in 0..<s.tenants {
            let signup = try http.send("POST", "/api/v1/auth/signup", json: ["email": "web\(t)@example.com", "password": "bench password \(t)"])
            guard signup.status == 201, let token = signup.body["access_token"] as? String,
                  let user = signup.body["user"] as? [String: Any], let id = user["id"] as? Int else { throw BenchError("signup failed: \(signup)") }
            let settings = try http.send("PUT", "/api/v1/admin/settings", json: [
                "shopify_webhook_secret": secret, "whatsapp_provider": "web", "confirmation_delay_minutes": 0, "shop_name": "Bench Shop \(t)",
            ], token: token)
            guard settings.status == 200 else { throw BenchError("settings failed: \(settings)") }
            shops.append((id, token))
        }
        // Link every tenant (the fake logs a new browser profile in at once).
        let linkStart = ContinuousClock.now
        for shop in shops { _ = try http.send("POST", "/api/v1/admin/whatsapp/connect", json: [:], token: shop.token) }
        for shop in shops {
            try await waitFor("tenant \(shop.id) linked", seconds: 300) {
                try http.send("GET", "/api/v1/admin/whatsapp/status", token: shop.token).body["state"] as? String == "connected"
            }
        }
        let linkTime = ContinuousClock.now - linkStart

        let before = fake.sent.count
        let memory = ProcessTreeMemory.start(root: server.pid)
        let started = ContinuousClock.now
        var n = 0
        for k in 0..<s.perTenant {
            for (t, shop) in shops.enumerated() {
                n += 1
                let phone = String(format: "+336%02d%02d%04d", t, k % 100, n)
                let status = try RawRequest.send(port: port, Self.webhook(userID: shop.id, id: UInt64(100_000 + n), number: 1000 + n,
                                                                          phone: phone, secret: secret))
                guard status == 200 else { throw BenchError("webhook answered \(status)") }
            }
        }
        // Done when the API shows every message `sent` (its tick seen).
        try await waitFor("\(s.total) messages sent", seconds: 1800, poll: .milliseconds(20)) { fake.sent.count - before >= s.total }
        var confirmed = 0
        try await waitFor("the API to show \(s.total) messages sent", seconds: 120, poll: .milliseconds(100)) {
            confirmed = 0
            for shop in shops {
                let page = try http.send("GET", "/api/v1/admin/orders?limit=200", token: shop.token)
                confirmed += ((page.body["orders"] as? [[String: Any]]) ?? []).filter { ($0["message"] as? [String: Any])?["state"] as? String == "sent" }.count
            }
            return confirmed >= s.total
        }
        let elapsed = ContinuousClock.now - started
        let peak = await memory.stop()
        let sent = Array(fake.sent.dropFirst(before))
        let span = Double((sent.last?.at ?? 0) - (sent.first?.at ?? 0)) / 1000
        let seconds = Self.seconds(elapsed)
        print("""
            \(s.name):
              linked \(s.tenants) tenant(s) in \(format(Self.seconds(linkTime), 1)) s
              \(s.total) messages in \(format(seconds, 1)) s from the first webhook until the API showed all \(confirmed) sent
              \(format(seconds / Double(s.total), 2)) s per message, \(format(Double(s.total) / seconds * 60, 1)) messages/minute \
            (first to last send: \(format(span, 1)) s, \(format(span / Double(max(1, s.total - 1)), 2)) s apart)
              peak memory: server RSS \(peak.serverRSS / 1024) MiB; chromedrivers + Chromes RSS \(peak.browsersRSS / 1024) MiB, \
            PSS \(peak.browsersPSS / 1024) MiB; whole tree PSS \(peak.totalPSS / 1024) MiB; at most \(peak.processes) processes

            """)
    }

    /// A signed `orders/create` delivery as raw HTTP/1.1.
    static func webhook(userID: Int, id: UInt64, number: Int, phone: String, secret: String) -> [UInt8] {
        let order: [String: Any] = [
            "id": id, "name": "#\(number)", "order_number": number, "email": "customer\(number)@example.com",
            "created_at": "2026-01-10T10:00:00+01:00", "updated_at": "2026-01-10T10:00:00+01:00", "currency": "EUR",
            "total_price": "49.90", "test": false, "customer": ["first_name": "Jeanne", "last_name": "Dupont"],
            "shipping_address": ["name": "Jeanne Dupont", "phone": phone, "country_code": "FR"],
        ]
        let body = Array((try? JSONSerialization.data(withJSONObject: order)) ?? Data())
        let head = "POST /api/v1/webhooks/\(userID) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.count)\r\nX-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: \(ShopifySignature.sign(body: body, secret: secret))\r\n"
            + "X-Shopify-Webhook-Id: \(UUID().uuidString)\r\nX-Shopify-Shop-Domain: bench-web.myshopify.com\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    func waitFor(_ what: String, seconds: Double, poll: Duration = .milliseconds(200), _ condition: () throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try condition() { return }
            try await Task.sleep(for: poll)
        }
        throw BenchError("gave up waiting for \(what)")
    }
}
