import ApplianceCoding
import ApplianceDomain
import ArgumentParser
import AsyncHTTPClient
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOHTTP1
import Synchronization
import WebDriver

/// `bench dashboard`: (1) time to the first painted page of orders in headless Chromium for a
/// tenant holding `--orders` orders (server and client together: HTML, assets, API, render);
/// (2) webhook → WebSocket frame latency with `--dashboards` live sockets open.
struct DashboardBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard", abstract: "Dashboard first paint with many orders, and live-update latency with many dashboards.")

    @Option(help: "Orders in the tenant.") var orders = 100_000
    @Option(help: "Page loads measured.") var runs = 10
    @Option(help: "Live sockets open while webhooks arrive.") var dashboards = 100
    @Option(help: "Webhooks sent (one at a time, paced).") var webhooks = 300
    @Option(help: "Reuse this data directory (made by an earlier --keep run).") var dataDir: String?
    @Flag(help: "Keep the generated data directory.") var keep = false
    @OptionGroup var binary: BinaryOption

    static let email = "merchant1@bench.example.com"
    static let password = "bench password"
    static let secret = "shpss_dashboard_bench"

    func run() async throws {
        let bin = try binary.resolve()
        let root = try makeTempDirectory("bench-dashboard")
        defer { if !keep { try? FileManager.default.removeItem(atPath: root) } }
        let dir: String
        if let dataDir {
            dir = dataDir
        } else {
            dir = root + "/data"
            var boot = try BootBench.parse(["--tenants", "1", "--orders-per-tenant", String(orders), "--journal-tail", "100",
                                            "--confirmed-fraction", "0"])
            boot.keep = true
            let started = ContinuousClock.now
            // Sent through the log provider as they fall due (all at the first boot, see below).
            try await boot.generate(into: dir, settings: ["whatsapp_provider": .string("log"), "confirmation_delay_minutes": .number(0)])
            print("generated 1 tenant × \(orders) orders in \(ContinuousClock.now - started)")
        }
        let port = try freePort()
        let server = try ServerRunner(binary: bin, dataDir: dir, port: port, logPath: root + "/serve.log", environment: ["LOG_LEVEL": "warning"])
        defer { server.stop() }
        _ = try server.waitHealthy(attempts: 60_000, intervalMicros: 1_000)
        let http = try BlockingHTTP(port: port)
        let login = try http.send("POST", "/api/v1/auth/login", json: ["email": Self.email, "password": Self.password])
        guard login.status == 200, let token = login.body["access_token"] as? String,
              let user = login.body["user"] as? [String: Any], let userID = user["id"] as? Int else {
            throw BenchError("login failed: \(login)")
        }
        _ = try http.send("PUT", "/api/v1/admin/settings", json: ["shopify_webhook_secret": Self.secret, "whatsapp_provider": "log"], token: token)
        // The generated orders' confirmations are all due at the first boot: measure a settled
        // tenant, not one working off 100,000 sends (each a live frame to every dashboard).
        let settling = ContinuousClock.now
        while true {
            let analytics = try BlockingHTTP(port: port).send("GET", "/api/v1/admin/analytics", token: token).body
            let sent = (analytics["messages"] as? [String: Any])?["sent"] as? Int ?? 0
            if sent >= analytics["total_orders"] as? Int ?? 0 { break }
            if ContinuousClock.now - settling > .seconds(300) { throw BenchError("confirmations still unsent after 5 minutes") }
            try await Task.sleep(for: .milliseconds(200))
        }
        // From here on new orders wait the default half hour: one live frame each.
        _ = try BlockingHTTP(port: port).send("PUT", "/api/v1/admin/settings", json: ["confirmation_delay_minutes": 30], token: token)
        print("confirmations due at boot worked off in \(ContinuousClock.now - settling)")

        try await firstPaint(port: port, token: token, user: user)
        try await liveLatency(port: port, token: token, userID: userID)
        if keep { print("kept \(root)") }
    }

    // MARK: First paint

    func firstPaint(port: Int, token: String, user: [String: Any]) async throws {
        let base = "http://127.0.0.1:\(port)"
        let userJSON = String(decoding: try JSONSerialization.data(withJSONObject: user), as: UTF8.self)
        var options = ChromeOptions.fromEnvironment()
        options.windowSize = (1280, 900)
        var samples: [Double] = []
        var apiSamples: [Double] = []
        try await withChromeSession(options) { session in
            try await session.navigate(to: base + "/healthz")
            _ = try await session.executeScript("localStorage.setItem('sw.token', arguments[0]); localStorage.setItem('sw.user', arguments[1])",
                                                args: [.string(token), .string(userJSON)])
            for run in 0...runs {
                try await session.navigate(to: base + "/healthz")
                try await session.navigate(to: base + "/#/orders")
                let painted = try await session.waitFor("orders painted", timeout: .seconds(30)) { () -> Double? in
                    try await session.executeScript("const m = performance.getEntriesByName('orders-painted')[0]; return m ? m.startTime : null").doubleValue
                }
                let api = try await session.executeScript("""
                    const r = performance.getEntriesByType('resource').find(e => e.name.includes('/api/v1/admin/orders'));
                    return r ? r.responseEnd - r.requestStart : null
                    """).doubleValue ?? -1
                let rows = try await session.executeScript("return document.querySelectorAll('#orders-body tr[data-order-id]').length").intValue ?? 0
                guard rows > 0 else { throw BenchError("no rows rendered") }
                if run == 0 { print("warm-up load: painted at \(format(painted, 1)) ms (\(rows) rows)"); continue }
                samples.append(painted)
                apiSamples.append(api)
            }
        }
        samples.sort()
        apiSamples.sort()
        print("""

        == first paint of the orders tab, \(orders) orders in the tenant (\(runs) loads, navigation start → first page painted)
        median \(format(samples[samples.count / 2], 1)) ms, worst \(format(samples.last!, 1)) ms; orders API request (server) median \(format(apiSamples[apiSamples.count / 2], 1)) ms
        """)
    }

    // MARK: Live latency

    func liveLatency(port: Int, token: String, userID: Int) async throws {
        let tally = LiveTally()
        let received = tally
        let logger: Logger = {
            var l = Logger(label: "bench-ws")
            l.logLevel = .error
            return l
        }()
        let url = "ws://127.0.0.1:\(port)/ws/orders?token=\(token)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<dashboards {
                group.addTask {
                    try await WebSocketClient.connect(url: url, logger: logger) { inbound, _, _ in
                        tally.connected.add(1, ordering: .relaxed)
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            let at = UInt64(NIODeadline.now().uptimeNanoseconds)
                            guard let range = text.range(of: #""id":""#) else { continue }
                            let idText = text[range.upperBound...].prefix { $0 != "\"" }
                            guard let id = UInt64(idText) else { continue }
                            received.frames.withLock { $0[id, default: []].append(at) }
                        }
                    }
                }
            }
            while tally.connected.load(ordering: .relaxed) < dashboards { try await Task.sleep(for: .milliseconds(20)) }
            print("\n\(dashboards) live sockets open")
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            var sent: [UInt64: UInt64] = [:]
            let factory = OrderFactory(targetBytes: 4096)
            for i in 0..<webhooks {
                let id = 8_100_000_000_000_000_000 + UInt64(i)
                let body = factory.body(index: i, id: id, number: 1_900_000 + i)
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/webhooks/\(userID)/orders/create")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-Shopify-Topic", value: "orders/create")
                request.headers.add(name: "X-Shopify-Webhook-Id", value: UUID().uuidString)
                request.headers.add(name: "X-Shopify-Hmac-Sha256", value: ShopifySignature.sign(body: body, secret: Self.secret))
                request.body = .bytes(ByteBuffer(bytes: body))
                let start = UInt64(NIODeadline.now().uptimeNanoseconds)
                sent[id] = start
                let response = try await client.execute(request, timeout: .seconds(10))
                guard response.status == .ok else { throw BenchError("webhook answered \(response.status)") }
                _ = try await response.body.collect(upTo: 1 << 16)
                try await Task.sleep(for: .milliseconds(10))
            }
            // Wait until every socket has every frame (or 10 s).
            let deadline = ContinuousClock.now + .seconds(10)
            while ContinuousClock.now < deadline {
                let complete = received.frames.withLock { r in sent.keys.allSatisfy { (r[$0]?.count ?? 0) >= dashboards } }
                if complete { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            try await client.shutdown()
            group.cancelAll()
            var latencies: [Double] = []
            var missing = 0
            received.frames.withLock { r in
                for (id, start) in sent {
                    let times = r[id] ?? []
                    missing += dashboards - times.count
                    latencies += times.map { Double($0 - start) / 1e6 }
                }
            }
            latencies.sort()
            func pct(_ p: Double) -> Double { latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
            print("""
            == webhook → dashboard frame, \(dashboards) sockets, \(webhooks) webhooks (\(latencies.count) frames, \(missing) missing)
            p50 \(format(pct(0.5), 2)) ms, p99 \(format(pct(0.99), 2)) ms, max \(format(latencies.last ?? .nan, 2)) ms (from sending the webhook, so it includes the fsync before the acknowledgement)
            """)
        }
    }
}

/// What the bench's sockets received: frame arrival times per order id.
final class LiveTally: Sendable {
    let frames = Mutex<[UInt64: [UInt64]]>([:])
    let connected = Atomic<Int>(0)
}
