import Foundation
import Testing
@testable import ApplianceDomain

@Suite struct StateTests {
    func order(_ id: UInt64, status: OrderStatus = .pending, created: Int64 = 1_700_000_000_000, events: [OrderEvent]? = nil) -> Order {
        Order(id: id, number: "#\(id)", customerName: "Zoë \(id)", phone: id % 2 == 0 ? "+14155552671" : nil, phoneRaw: "raw",
              phoneCountry: "US", email: id % 3 == 0 ? nil : "c\(id)@example.com", totalPrice: "12.50", currency: "EUR",
              presentmentTotal: "13.00", presentmentCurrency: "USD", status: status, slot: id % 4 == 0 ? "Tomorrow" : nil,
              test: id % 5 == 0, createdAt: created, shopifyUpdatedAt: created + 1, arrivedAt: created + 2, updatedAt: created + 3,
              message: OrderMessage(state: .scheduled, scheduledAt: created + 100, attempts: 1, lastError: nil, provider: "web"),
              events: events)
    }

    @Test func snapshotRoundTrip() throws {
        var state = TenantState()
        state.account = Account(id: 3, email: "a@b.c", passwordHash: "$argon2id$x", createdAt: 1, passwordChangedAt: 2)
        state.settings.confirmationDelayMinutes = 12.5
        state.settings.shopifyWebhookSecret = "s"
        state.shopDomain = "x.myshopify.com"
        for i in 1...50 {
            var rec = TenantRecord.order(order(UInt64(i) * 1_000_000_000_007, status: OrderStatus.allCases[i % 4],
                                               events: i % 7 == 0 ? [OrderEvent(at: 5, type: "status", status: .confirmed, by: "merchant")] : nil),
                                         webhook: "wh-\(i)", shop: nil)
            rec.shop = nil
            state.apply(rec)
        }
        state.apply(.rejected(RejectedDelivery(receivedAt: 9, topic: "orders/create", webhookID: "bad-1", reason: "body is not valid JSON", bytes: 3)))
        let decoded = try TenantSnapshotCodec.decode(TenantSnapshotCodec.encode(state)[...])
        #expect(decoded.orders == state.orders)
        #expect(decoded.account == state.account)
        #expect(decoded.settings == state.settings)
        #expect(decoded.shopDomain == state.shopDomain)
        #expect(decoded.rejected == state.rejected)
        #expect(decoded.statusCounts == state.statusCounts)
        #expect(decoded.webhooks.contains("wh-17"))
        #expect(decoded.webhooks.contains("bad-1"))
        #expect(!decoded.webhooks.contains("wh-51"))
        #expect(decoded.order(17 * 1_000_000_000_007) == state.order(17 * 1_000_000_000_007))
        var truncated = TenantSnapshotCodec.encode(state)
        truncated.removeLast(10)
        #expect(throws: (any Error).self) { try TenantSnapshotCodec.decode(truncated[...]) }
    }

    /// Delivery ids are kept as the first 128 bits of their SHA-256 (snapshots hold them, so the
    /// digest must never change): SHA-256("abc") = ba7816bf8f01cfea414140de5dae2223….
    @Test func deliveryIDDigestIsTheSHA256Prefix() {
        #expect(WebhookLog.Digest("abc") == WebhookLog.Digest(hi: 0xba78_16bf_8f01_cfea, lo: 0x4141_40de_5dae_2223))
        let long = String(repeating: "é", count: 300)
        let bytes = HMACSHA256.sha256(Array(long.utf8))
        let hi = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }, lo = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        #expect(WebhookLog.Digest(long) == WebhookLog.Digest(hi: hi, lo: lo))
    }

    @Test func webhookLogIsBounded() {
        var log = WebhookLog(capacity: 3)
        for i in 1...5 { log.insert("id-\(i)") }
        #expect(log.count == 3)
        #expect(!log.contains("id-1"))
        #expect(log.contains("id-5"))
    }

    @Test func pagingNewestFirstWithFilters() {
        var state = TenantState()
        for i in 1...10 { state.upsert(order(UInt64(i), status: i % 2 == 0 ? .confirmed : .pending)) }
        let first = state.page(OrderQuery(limit: 3))
        #expect(first.orders.map(\.id) == [10, 9, 8])
        let second = state.page(OrderQuery(limit: 3, before: first.nextBefore))
        #expect(second.orders.map(\.id) == [7, 6, 5])
        let confirmed = state.page(OrderQuery(limit: 5, status: .confirmed))
        #expect(confirmed.orders.map(\.id) == [10, 8, 6, 4, 2])
        #expect(confirmed.nextBefore == nil)  // the page holding the oldest match has no cursor
        #expect(state.page(OrderQuery(text: "zoë 7")).orders.map(\.id) == [7])
        #expect(state.page(OrderQuery(text: "#3")).orders.map(\.id) == [3])
        #expect(state.page(OrderQuery(text: "5552671")).orders.allSatisfy { $0.id % 2 == 0 })
    }

    @Test func analyticsRatesAndDailySeries() throws {
        var state = TenantState()
        let day = try #require(Timestamp.parse("2026-03-10T12:00:00Z"))
        let statuses: [OrderStatus] = [.pending, .confirmed, .confirmed, .delivered, .cancelled]
        for (i, s) in statuses.enumerated() {
            var o = order(UInt64(i + 1), status: s, created: day - Int64(i % 2) * 86_400_000)
            o.message.state = [MessageState.sent, .delivered, .read, .failed, .skipped][i]
            state.upsert(o)
        }
        let a = state.analytics(now: day, days: 3)
        #expect(a.totalOrders == 5)
        #expect(a.confirmationRate == 3.0 / 5.0)
        #expect(a.cancellationRate == 1.0 / 5.0)
        #expect(a.deliverySuccessRate == 1.0 / 3.0)
        #expect(a.sent == 3 && a.delivered_ == 2 && a.read == 1 && a.failed == 1)
        #expect(a.daily.map(\.date) == ["2026-03-08", "2026-03-09", "2026-03-10"])
        #expect(a.daily[2].orders == 3 && a.daily[1].orders == 2)
        // Today: orders 1, 3, 5 (pending, confirmed, cancelled); yesterday: 2, 4 (confirmed, delivered).
        #expect(a.daily[2].confirmed == 1 && a.daily[2].cancelled == 1)
        #expect(a.daily[1].confirmed == 2 && a.daily[1].cancelled == 0)
        #expect(TenantState().analytics(now: day).deliverySuccessRate == 0)
    }

    @Test func timestamps() {
        #expect(Timestamp.parse("2008-01-10T11:00:00-05:00") == Timestamp.parse("2008-01-10T16:00:00Z"))
        #expect(Timestamp.parse("2024-02-29T23:59:59.5+05:30") == 1_709_231_399_500)
        #expect(Timestamp.format(1_709_231_399_500) == "2024-02-29T18:29:59.500Z")
        #expect(Timestamp.format(0) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.parse("yesterday") == nil)
        #expect(Timestamp.parse("2024-13-01T00:00:00Z") == nil)
    }

    @Test func loginThrottleWindow() {
        let t = LoginThrottle()
        for i in 0..<5 { t.recordFailure(email: "a", address: "1.2.3.4", now: Int64(i) * 1000) }
        #expect(t.retryAfter(email: "a", address: "9.9.9.9", now: 5000) == 900 - 5)
        #expect(t.retryAfter(email: "b", address: "1.2.3.4", now: 5000) == nil)
        #expect(t.retryAfter(email: "a", address: nil, now: 15 * 60 * 1000 + 1) == nil)
    }
}
