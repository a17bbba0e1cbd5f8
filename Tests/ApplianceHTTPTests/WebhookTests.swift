import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Webhooks: ingest")
struct WebhookTests {
    @Test func signedDeliveryIsStoredWithExactIDDecimalPriceAndE164Phone() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("exact@example.com")
            // Shopify's docs sample, with its real 64-bit id (beyond 2^53: a Double would lose it).
            let r = try await client.webhook(to: s.id, try Fixtures.docsOrderExactID())
            #expect(r.status == .ok)
            #expect(r.json["status"].string == "accepted")

            let ids = try await client.orderIDs(s)
            #expect(ids == ["820982911946154508"])
            let order = try await client.requireOrder(s, 820982911946154508)
            #expect(order["id"].string == "820982911946154508")
            #expect(order["order_number"].string == "#9999")
            #expect(order["total_price"].string == "398.00")
            #expect(order["currency"].string == "USD")
            // The sample is a cancelled test order: stored, never messaged.
            #expect(order["status"].string == "cancelled")
            #expect(order["message"]["state"].string == "skipped")

            // An order of our own: price and phone.
            try await client.deliver(ShopifyOrder(id: 5_000_000_000_001, number: 1002, phone: "06 12 34 56 78", country: "FR", total: "1250.50"), to: s)
            let mine = try await client.requireOrder(s, 5_000_000_000_001)
            #expect(mine["id"].string == "5000000000001")
            #expect(mine["total_price"].string == "1250.50")
            #expect(mine["phone"].string == "+33612345678")
            #expect(mine["customer_name"].string == "Jeanne Dupont")
            #expect(mine["status"].string == "pending")
            #expect(mine["message"]["state"].string == "scheduled")
        }
    }

    @Test func realRESTSampleUnwrappedMapsPhoneWithItsCountry() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("rest@example.com")
            let wrapped = try JSON(parsing: try Fixtures.bytes("order.rest-wrapped.json"))
            #expect(wrapped["order"]["id"].int == 450789469)
            // Take the inner object's bytes as text, so nothing is re-encoded through a Double.
            let text = String(decoding: try Fixtures.bytes("order.rest-wrapped.json"), as: UTF8.self)
            let open = try #require(text.firstIndex(of: "{"))
            let innerStart = try #require(text[text.index(after: open)...].firstIndex(of: "{"))
            let innerEnd = try #require(text.lastIndex(of: "}").flatMap { text[..<$0].lastIndex(of: "}") })
            let inner = Array(text[innerStart...innerEnd].utf8)
            let r = try await client.webhook(to: s.id, inner)
            #expect(r.status == .ok)
            #expect(r.json["status"].string == "accepted", "\(r.text)")
            let order = try await client.requireOrder(s, 450789469)
            #expect(order["order_number"].string == "#1001")
            #expect(order["total_price"].string == "409.94")
            #expect(order["customer_name"].string == "Bob Norman")
            #expect(order["email"].string == "bob.norman@hostmail.com")
            // 555-625-1199 is not a valid US number by libphonenumber's metadata: null and skipped.
            #expect(order["phone"].isNull)
            #expect(order["message"]["state"].string == "skipped")
            #expect(order["message"]["last_error"].string != nil)
        }
    }

    @Test func testOrdersAreSkipped() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("testorder@example.com")
            try await client.deliver(ShopifyOrder(id: 700, test: true), to: s)
            let order = try await client.requireOrder(s, 700)
            #expect(order["message"]["state"].string == "skipped")
            #expect(order["status"].string == "pending")
            #expect(order["phone"].string == "+33612345678")
            // A real order with the same phone is scheduled.
            try await client.deliver(ShopifyOrder(id: 701, test: false), to: s)
            #expect(try await client.requireOrder(s, 701)["message"]["state"].string == "scheduled")
        }
    }

    @Test func scheduledAtIsCreatedAtPlusTheDelay() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("delay@example.com")
            #expect(try await client.putSettings(s, #"{"confirmation_delay_minutes": 45}"#).status == .ok)
            try await client.deliver(ShopifyOrder(id: 800, createdAt: "2025-03-01T10:00:00+01:00"), to: s)
            let order = try await client.requireOrder(s, 800)
            #expect(order["created_at"].string.flatMap(Timestamp.parse) == Timestamp.parse("2025-03-01T09:00:00Z"))
            #expect(order["message"]["scheduled_at"].string.flatMap(Timestamp.parse) == Timestamp.parse("2025-03-01T09:45:00Z"))
        }
    }

    @Test func acceptedDeliveryIsOnDiskBeforeTheAnswer() async throws {
        try await withDataDirectory { root in
            let app = try await TestApp.open(root: root)
            let s = try await app.test { client in
                let s = try await client.merchant("durable@example.com")
                try await client.deliver(ShopifyOrder(id: 900, total: "12.34"), to: s)
                return s
            }
            // Read the journal as it is on disk, without closing the tenant.
            let files = try FileManager.default.contentsOfDirectory(atPath: app.tenantPath(s.id)).filter { $0.hasPrefix("journal-") }
            let text = try files.map { String(decoding: try Data(contentsOf: URL(fileURLWithPath: app.tenantPath(s.id) + "/" + $0)), as: UTF8.self) }.joined()
            #expect(text.contains("\"12.34\""))
            await app.shutdown()

            let reopened = try await TestApp.open(root: root)
            try await reopened.test { client async throws in
                let order = try await client.requireOrder(s, 900)
                #expect(order["total_price"].string == "12.34")
            }
            await reopened.shutdown()
        }
    }
}
