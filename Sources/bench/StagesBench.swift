import ApplianceDomain
import ArgumentParser
import Foundation
import PhoneNumbers

/// `bench stages`: the CPU cost of each step of ingesting one ~8 KB order, measured in-process
/// on the same bodies `bench ingest` sends (median of several rounds), to show where the
/// server's time per order goes independently of HTTP and of other load on the machine.
struct StagesBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stages", abstract: "Per-order CPU cost of each ingest step, in-process.")

    @Option(help: "Orders per round.") var orders = 2000
    @Option(help: "Rounds (the median is reported).") var rounds = 7
    @Option(help: "Approximate body size in bytes.") var bodyBytes = 8 * 1024

    func run() async throws {
        let factory = OrderFactory(targetBytes: bodyBytes)
        let secret = "shpss_stage_secret"
        let bodies = (0..<orders).map { factory.body(index: $0, id: 7_000_000_000_000_000_000 + UInt64($0), number: 1_000_000 + $0) }
        let signatures = bodies.map { ShopifySignature.sign(body: $0, secret: secret) }
        let mapper = ShopifyOrderMapper()
        let payloads = try bodies.map { try JSONDecoder().decode(ShopifyOrderPayload.self, from: Data($0)) }
        let incoming = try bodies.map { try mapper.map(body: $0, shopDomain: "bench-shop.myshopify.com") }
        var settings = Settings()
        settings.shopifyWebhookSecret = secret
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        let records = incoming.map {
            TenantRecord.order(OrderMerge.merge(existing: nil, incoming: $0, topic: .ordersCreate, settings: settings, now: now)!,
                               webhook: UUID().uuidString.lowercased(), shop: "bench-shop.myshopify.com")
        }
        let phones = payloads.map { ($0.shippingAddress?.phone ?? "", $0.shippingAddress?.countryCode) }
        let webhookIDs = (0..<orders).map { _ in UUID().uuidString.lowercased() }
        print("\(orders) distinct bodies of \(bodies[0].count) bytes; record JSON \(try JSONEncoder().encode(records[0]).count) bytes; median of \(rounds) rounds\n")

        var sink = 0
        func stage(_ name: String, _ body: (Int) throws -> Int) rethrows {
            var perOrder: [Double] = []
            for _ in 0..<rounds {
                let start = ContinuousClock.now
                for i in 0..<orders { sink &+= try body(i) }
                let d = ContinuousClock.now - start
                perOrder.append((Double(d.components.seconds) * 1e6 + Double(d.components.attoseconds) / 1e12) / Double(orders))
            }
            perOrder.sort()
            print(name.padding(toLength: 58, withPad: " ", startingAt: 0) + "\(format(perOrder[perOrder.count / 2], 1)) µs")
        }
        try stage("HMAC-SHA256 check of the body (ShopifySignature)") { ShopifySignature.isValid(body: bodies[$0], header: signatures[$0], secret: secret) ? 1 : 0 }
        try stage("JSONDecoder → ShopifyOrderPayload (the old parse)") { (try JSONDecoder().decode(ShopifyOrderPayload.self, from: Data(bodies[$0]))).id == nil ? 0 : 1 }
        try stage("mapper.map(body:) (fast reader + mapping)") { (try mapper.map(body: bodies[$0], shopDomain: nil)).number.count }
        try stage("  of which mapping a decoded payload") { (try mapper.map(payloads[$0], shopDomain: nil)).number.count }
        try stage("  of which phone normalisation") { i in
            if case .success(let s) = PhoneNumberNormalizer.shared.normalize(phones[i].0, region: phones[i].1) { return s.count }
            return 0
        }
        let encoder = JSONEncoder()
        try stage("JSONEncoder of the journal record (the old encoding)") { try encoder.encode(records[$0]).count }
        try stage("journal record as written (hand-written for orders)") { try records[$0].encoded(with: encoder).count }
        try stage("JSONDecoder of the journal record (replay at boot)") { i in
            let data = try encoder.encode(records[i])
            return (try JSONDecoder().decode(TenantRecord.self, from: data)).order?.number.count ?? 0
        }
        try stage("  of which encoding again (subtract)") { try encoder.encode(records[$0]).count }
        try stage("WebhookLog digest of the delivery id (SHA-256)") { Int(truncatingIfNeeded: WebhookLog.Digest(webhookIDs[$0]).hi & 1) }
        if sink == 42 { print("") }
    }
}
