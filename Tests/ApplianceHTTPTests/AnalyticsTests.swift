import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Analytics")
struct AnalyticsTests {
    @Test func emptyTenantHasZeroes() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("analytics-empty@example.com")
            let empty = try await client.get("/api/v1/admin/analytics", token: s.token)
            #expect(empty.status == .ok)
            #expect(empty.json["total_orders"].int == 0)
            #expect(empty.json["confirmation_rate"].double == 0)
            #expect(empty.json["cancellation_rate"].double == 0)
            #expect(empty.json["delivery_success_rate"].double == 0)
            #expect(empty.json["daily"].array?.count == 30)
            #expect(try await client.get("/api/v1/admin/analytics").status == .unauthorized)
        }
    }

    @Test func numbersAndRatesAfterAKnownMix() async throws {
        try await withRouterClient { app, client in
            let s = try await client.merchant("analytics@example.com")
            let today = Timestamp.format(app.clock.now())
            try await client.deliverInOrder(s, Array(1...8)) { ShopifyOrder(id: $0, createdAt: today) }
            // pending: 1, 2, 3 · confirmed: 4, 5 · delivered: 6 · cancelled: 7, 8
            for id in [4, 5, 6] as [UInt64] { #expect(try await client.setStatus(s, id, "confirmed").status == .ok) }
            #expect(try await client.setStatus(s, 6, "delivered").status == .ok)
            for id in [7, 8] as [UInt64] { #expect(try await client.setStatus(s, id, "cancelled").status == .ok) }
            // An old order outside the daily window still counts in the totals.
            try await client.deliver(ShopifyOrder(id: 9, createdAt: "2020-01-01T00:00:00Z"), to: s)

            let r = try await client.get("/api/v1/admin/analytics", token: s.token)
            #expect(r.status == .ok)
            let a = r.json
            #expect(a.keys == ["total_orders", "pending", "confirmed", "cancelled", "delivered", "confirmation_rate",
                               "cancellation_rate", "delivery_success_rate", "messages", "daily"])
            #expect(a["total_orders"].int == 9)
            #expect(a["pending"].int == 4)
            #expect(a["confirmed"].int == 2)
            #expect(a["delivered"].int == 1)
            #expect(a["cancelled"].int == 2)
            #expect(a["confirmation_rate"].double == 3.0 / 9.0)
            #expect(a["cancellation_rate"].double == 2.0 / 9.0)
            #expect(a["delivery_success_rate"].double == 1.0 / 3.0)
            #expect(a["messages"] == .object(["sent": .number(0), "delivered": .number(0), "read": .number(0), "failed": .number(0)]))
            let daily = try #require(a["daily"].array)
            #expect(daily.count == 30)
            let last = try #require(daily.last)
            #expect(last["date"].string == String(today.prefix(10)))
            #expect(last["orders"].int == 8)
            #expect(last["confirmed"].int == 3)
            #expect(last["cancelled"].int == 2)
            #expect(daily.dropLast().allSatisfy { $0["orders"].int == 0 })
        }
    }
}
