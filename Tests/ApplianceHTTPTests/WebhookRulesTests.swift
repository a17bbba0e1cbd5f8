import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Webhooks: rejected deliveries, duplicates, topics, ordering")
struct WebhookRulesTests {
    @Test func unusableBodiesAre200AndListedAsRejected() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("unusable@example.com")
            let notJSON = Array("this is not json".utf8)
            let r1 = try await client.webhook(to: s.id, notJSON, webhookID: "wh-not-json")
            #expect(r1.status == .ok)
            #expect(r1.json["status"].string == "rejected")
            // Shopify's REST shape ({"order": {...}}) has no top-level id.
            let wrapped = try Fixtures.bytes("order.rest-wrapped.json")
            let r2 = try await client.webhook(to: s.id, wrapped, webhookID: "wh-wrapped")
            #expect(r2.status == .ok)
            let noID = Array(##"{"name": "#1"}"##.utf8)
            #expect(try await client.webhook(to: s.id, noID, webhookID: "wh-no-id").status == .ok)
            let floatID = Array(##"{"id": 12.5, "name": "#1"}"##.utf8)
            #expect(try await client.webhook(to: s.id, floatID, webhookID: "wh-float-id").status == .ok)

            #expect(try await client.orderIDs(s).isEmpty)
            let rejected = try await client.rejected(s)
            #expect(rejected.count == 4)
            // Newest first.
            #expect(rejected.map { $0["webhook_id"].string } == ["wh-float-id", "wh-no-id", "wh-wrapped", "wh-not-json"])
            for entry in rejected {
                #expect(entry.keys == ["received_at", "topic", "webhook_id", "reason", "bytes"])
                #expect(entry["topic"].string == "orders/create")
                #expect(!(entry["reason"].string ?? "").isEmpty)
                #expect(entry["received_at"].string.flatMap(Timestamp.parse) != nil)
            }
            #expect(rejected[3]["bytes"].int == notJSON.count)
            #expect(rejected[2]["bytes"].int == wrapped.count)
            #expect(rejected[1]["bytes"].int == noID.count)
            #expect(rejected[1]["reason"].string?.contains("id") == true)
            #expect(rejected[0]["reason"].string?.contains("id") == true)
        }
    }

    @Test func repeatedWebhookIDChangesNothing() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("dup@example.com")
            let order = ShopifyOrder(id: 100, updatedAt: "2025-03-01T10:00:00+01:00")
            try await client.deliver(order, to: s, webhookID: "wh-100")
            let before = try await client.requireOrder(s, 100)
            // Same delivery id, even with a newer body that would cancel it.
            var newer = order
            newer.updated_at = "2025-03-02T10:00:00+01:00"
            newer.cancelled_at = "2025-03-02T10:00:00+01:00"
            let again = try await client.webhook(to: s.id, newer.bytes, topic: "orders/updated", webhookID: "wh-100")
            #expect(again.status == .ok)
            #expect(try await client.requireOrder(s, 100) == before)
            #expect(try await client.orderIDs(s) == ["100"])

            // A rejected delivery repeated is listed once.
            let bad = Array("{not json".utf8)
            #expect(try await client.webhook(to: s.id, bad, webhookID: "wh-bad").status == .ok)
            #expect(try await client.webhook(to: s.id, bad, webhookID: "wh-bad").status == .ok)
            #expect(try await client.rejected(s).count == 1)
            // And a repeated id of an accepted delivery adds no rejected entry either.
            #expect(try await client.webhook(to: s.id, bad, webhookID: "wh-100").status == .ok)
            #expect(try await client.rejected(s).count == 1)
        }
    }

    @Test func genericRouteDispatchesOnTopic() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("generic@example.com")
            try await client.deliver(ShopifyOrder(id: 200), to: s, topic: "orders/create")
            #expect(try await client.requireOrder(s, 200)["status"].string == "pending")
            let cancel = ShopifyOrder(id: 200, updatedAt: "2025-03-01T12:00:00+01:00")
            try await client.deliver(cancel, to: s, topic: "orders/cancelled")
            #expect(try await client.requireOrder(s, 200)["status"].string == "cancelled")

            // The per-topic path route does the same.
            let r = try await client.webhook(to: s.id, ShopifyOrder(id: 201).bytes, topic: "orders/create", route: .topicPath)
            #expect(r.status == .ok)
            #expect(try await client.requireOrder(s, 201)["status"].string == "pending")
            let unknownPath = try await client.webhook(to: s.id, ShopifyOrder(id: 202).bytes, topic: "orders/deleted", route: .topicPath)
            #expect(unknownPath.status == .notFound)
        }
    }

    @Test func missingOrUnknownTopicIsRejectedWith200() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("topic@example.com")
            let body = ShopifyOrder(id: 300).bytes
            let missing = try await client.webhook(to: s.id, body, topic: nil, webhookID: "wh-no-topic")
            #expect(missing.status == .ok)
            #expect(missing.json["status"].string == "rejected")
            let unknown = try await client.webhook(to: s.id, body, topic: "products/create", webhookID: "wh-products")
            #expect(unknown.status == .ok)
            #expect(try await client.orderIDs(s).isEmpty)
            let rejected = try await client.rejected(s)
            #expect(rejected.count == 2)
            #expect(rejected[0]["topic"].string == "products/create")
            #expect(rejected[0]["reason"].string?.contains("products/create") == true)
            #expect(rejected[1]["topic"].isNull)
            #expect(rejected[1]["reason"].string?.contains("X-Shopify-Topic") == true)
            #expect(rejected[1]["bytes"].int == body.count)
        }
    }

    @Test func cancelledBeforeCreateStaysCancelled() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("order@example.com")
            let created = "2025-03-01T10:00:00+01:00"
            let cancel = ShopifyOrder(id: 400, createdAt: created, updatedAt: "2025-03-01T10:05:00+01:00", cancelledAt: "2025-03-01T10:05:00+01:00")
            try await client.deliver(cancel, to: s, topic: "orders/cancelled")
            #expect(try await client.requireOrder(s, 400)["status"].string == "cancelled")
            // orders/create arrives late, with the older updated_at.
            try await client.deliver(ShopifyOrder(id: 400, createdAt: created), to: s, topic: "orders/create")
            let order = try await client.requireOrder(s, 400)
            #expect(order["status"].string == "cancelled")
            #expect(order["message"]["state"].string == "skipped")
            // Even an orders/create with a newer updated_at does not reopen it.
            try await client.deliver(ShopifyOrder(id: 400, createdAt: created, updatedAt: "2025-03-01T11:00:00+01:00"), to: s, topic: "orders/create")
            #expect(try await client.requireOrder(s, 400)["status"].string == "cancelled")
        }
    }

    @Test func olderUpdateChangesNothing() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("stale@example.com")
            var latest = ShopifyOrder(id: 500, customer: "Ana Lima", updatedAt: "2025-03-01T12:00:00+01:00", total: "20.00")
            try await client.deliver(latest, to: s)
            let before = try await client.requireOrder(s, 500)
            var stale = latest
            stale.updated_at = "2025-03-01T11:00:00+01:00"
            stale.total_price = "999.00"
            stale.cancelled_at = "2025-03-01T11:00:00+01:00"
            stale.shipping_address?.name = "Someone Else"
            try await client.deliver(stale, to: s, topic: "orders/updated")
            #expect(try await client.requireOrder(s, 500) == before)
            // A newer update does apply.
            latest.updated_at = "2025-03-01T13:00:00+01:00"
            latest.total_price = "25.00"
            try await client.deliver(latest, to: s, topic: "orders/updated")
            let after = try await client.requireOrder(s, 500)
            #expect(after["total_price"].string == "25.00")
            #expect(after["status"].string == "pending")
        }
    }

    @Test func updatedWithCancelledAtCancels() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("cancelledat@example.com")
            try await client.deliver(ShopifyOrder(id: 550), to: s)
            let update = ShopifyOrder(id: 550, updatedAt: "2025-03-01T12:00:00+01:00", cancelledAt: "2025-03-01T12:00:00+01:00")
            try await client.deliver(update, to: s, topic: "orders/updated")
            let order = try await client.requireOrder(s, 550)
            #expect(order["status"].string == "cancelled")
            #expect(order["message"]["state"].string == "skipped")
        }
    }

    @Test func fulfilledMeansDelivered() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("fulfilled@example.com")
            try await client.deliver(ShopifyOrder(id: 600), to: s)
            try await client.deliver(ShopifyOrder(id: 600, updatedAt: "2025-03-03T09:00:00+01:00"), to: s, topic: "orders/fulfilled")
            let order = try await client.requireOrder(s, 600)
            #expect(order["status"].string == "delivered")
            let statusEvents = (order["events"].array ?? []).filter { $0["type"].string == "status" }
            #expect(statusEvents.last?["status"].string == "delivered")
        }
    }

    @Test func rejectedListNeedsATokenAndStartsEmpty() async throws {
        try await withEachClient { _, client in
            #expect(try await client.get("/api/v1/admin/webhooks/rejected").status == .unauthorized)
            let s = try await client.merchant("rejectedlist@example.com")
            #expect(try await client.rejected(s).isEmpty)
        }
    }
}
