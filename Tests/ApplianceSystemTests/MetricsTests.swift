import ApplianceDomain
import Foundation
import Testing

/// `/metrics` of the real binary: Prometheus text, counters that follow known traffic, and
/// access only from direct loopback clients or with the metrics token.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct MetricsTests {
    /// Prometheus text format → `name{labels}` → value. Fails on a line that is not a sample.
    static func parse(_ text: String) throws -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                throw HarnessError("not a Prometheus sample line: \(line)")
            }
            samples[String(line[..<space])] = value
        }
        return samples
    }

    static func scrape(_ port: Int, headers: [(String, String)] = []) throws -> HTTPResponse {
        try HTTPConnection(port: port).send("GET", "/metrics", headers: headers)
    }

    @Test func countersFollowKnownTraffic() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        let run = try SystemTests.startMerchant(harness)
        defer { run.server.stop() }
        let port = run.server.port
        let settings = try HTTPConnection(port: port).json(
            "PUT", "/api/v1/admin/settings", ["whatsapp_provider": "log", "confirmation_delay_minutes": 0], token: run.token)
        #expect(settings.status == 200)

        let before = try Self.parse(try Self.scrape(port).text)
        #expect(before["webhooks_total{outcome=\"accepted\"}"] == 0)
        #expect(before["websocket_clients"] == 0)
        #expect(before["browsers_running"] == 0)

        let c = try HTTPConnection(port: port)
        for i in 0..<3 {
            let r = try ShopifyClient.postOrder(c, userID: run.userID, secret: SystemTests.secret, id: 9_000_000_000_000_000 + UInt64(i),
                                                number: 5000 + i, webhookID: "metrics-\(i)")
            #expect(r.status == 200)
        }
        // A repeated delivery (accepted, stored once), a bad signature, an unknown tenant.
        #expect(try ShopifyClient.postOrder(c, userID: run.userID, secret: SystemTests.secret, id: 9_000_000_000_000_000,
                                            number: 5000, webhookID: "metrics-0").status == 200)
        #expect(try ShopifyClient.postOrder(c, userID: run.userID, secret: "wrong", id: 1, number: 1).status == 401)
        #expect(try ShopifyClient.postOrder(c, userID: 999, secret: SystemTests.secret, id: 2, number: 2).status == 404)

        // The three messages go out through the log provider right away; wait for the counter.
        var samples: [String: Double] = [:]
        let deadline = ContinuousClock.now + .seconds(30)
        repeat {
            let scrape = try Self.scrape(port)
            #expect(scrape.status == 200)
            #expect(scrape.headers["content-type"]?.hasPrefix("text/plain") == true)
            samples = try Self.parse(scrape.text)
            if samples["messages_total{provider=\"log\",outcome=\"sent\"}"] == 3 { break }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        #expect(samples["messages_total{provider=\"log\",outcome=\"sent\"}"] == 3)
        #expect(samples["webhooks_total{outcome=\"accepted\"}"] == 4)
        #expect(samples["webhooks_total{outcome=\"unauthorized\"}"] == 1)
        #expect(samples["webhooks_total{outcome=\"unknown_tenant\"}"] == 1)
        #expect(samples["webhook_ingest_seconds_count"] == 6)
        #expect((samples["webhook_ingest_seconds_sum"] ?? 0) > 0)
        #expect((samples["journal_fsync_seconds_count"] ?? 0) >= 4, "3 orders + settings, each synced")
        #expect(samples["journal_syncs_total"] == samples["journal_fsync_seconds_count"], "each sync call is counted and timed once")
        #expect((samples["journal_group_commits_total"] ?? 0) >= (samples["journal_syncs_total"] ?? 0), "one tenant: a batch per sync")
        #expect((samples["journal_bytes_written_total"] ?? 0) > 3 * 500)
        #expect(samples["scheduler_jobs_fired_total"] == 3)
        #expect(samples["scheduler_jobs_pending"] == 0)
        #expect(samples["tenants"] == 1)
        #expect((samples["process_resident_memory_bytes"] ?? 0) > 1_000_000)
        #expect(samples.keys.contains { $0.hasPrefix("webhook_ingest_seconds_bucket{le=") })

        // Through the reverse proxy (X-Forwarded-For) it is invisible without the token.
        #expect(try Self.scrape(port, headers: [("X-Forwarded-For", "203.0.113.9")]).status == 404)
    }

    @Test func theTokenOpensMetricsToProxiedClients() throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        _ = try harness.initWithUser(email: "m@example.com", password: "correct horse battery")
        let server = try harness.startServer(environment: ["METRICS_TOKEN": "scrape-me-please"])
        defer { server.stop() }
        let proxied = ("X-Forwarded-For", "203.0.113.9")
        #expect(try Self.scrape(server.port, headers: [proxied]).status == 404)
        #expect(try Self.scrape(server.port, headers: [proxied, ("Authorization", "Bearer wrong-token")]).status == 404)
        let ok = try Self.scrape(server.port, headers: [proxied, ("Authorization", "Bearer scrape-me-please")])
        #expect(ok.status == 200)
        #expect(try Self.parse(ok.text)["tenants"] == 1)
    }
}
