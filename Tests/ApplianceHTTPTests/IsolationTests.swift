import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import NIOWebSocket
import WSCore
import Testing

@Suite("Tenant isolation")
struct IsolationTests {
    @Test func anotherTenantsOrderIs404NeverForbidden() async throws {
        try await withEachClient { _, client in
            let a = try await client.merchant("iso-a@example.com")
            let b = try await client.merchant("iso-b@example.com", secret: "b-secret")
            try await client.deliver(ShopifyOrder(id: 1001, number: 1), to: a)
            try await client.deliver(ShopifyOrder(id: 1002, number: 2, test: true), to: a)

            let show = try await client.order(b, 1001)
            #expect(show.status == .notFound)
            #expect(show.errorCode == "not_found")
            #expect(try await client.setStatus(b, 1001, "confirmed").status == .notFound)
            #expect(try await client.resend(b, 1002).status == .notFound)
            // A's orders are untouched by B's attempts.
            #expect(try await client.requireOrder(a, 1001)["status"].string == "pending")
            #expect(try await client.requireOrder(a, 1002)["message"]["state"].string == "skipped")
        }
    }

    @Test func listingsSearchesAnalyticsAndRejectsArePerTenant() async throws {
        try await withEachClient { _, client in
            let a = try await client.merchant("list-a@example.com")
            let b = try await client.merchant("list-b@example.com", secret: "b-secret")
            try await client.deliverInOrder(a, [1, 2, 3])
            #expect(try await client.webhook(to: a.id, Array("not json".utf8)).status == .ok)
            try await client.deliver(ShopifyOrder(id: 9, number: 9, customer: "Bruno Martin"), to: b)
            // The same Shopify order id in both shops stays two orders.
            try await client.deliver(ShopifyOrder(id: 2, number: 7002, customer: "Other Person"), to: b)

            #expect(try await client.orderIDs(a) == ["3", "2", "1"])
            #expect(try await client.orderIDs(b) == ["2", "9"])
            #expect(try await client.requireOrder(a, 2)["customer_name"].string == "Jeanne Dupont")
            #expect(try await client.requireOrder(b, 2)["customer_name"].string == "Other Person")
            #expect(try await client.orderIDs(b, "q=%231001") == [])
            #expect(try await client.orderIDs(b, "q=jeanne") == [])
            #expect(try await client.rejected(b).isEmpty)
            #expect(try await client.rejected(a).count == 1)
            #expect(try await client.get("/api/v1/admin/analytics", token: b.token).json["total_orders"].int == 2)
        }
    }

    @Test func settingsArePerTenant() async throws {
        try await withEachClient { _, client in
            let a = try await client.signup("set-a@example.com")
            let b = try await client.signup("set-b@example.com")
            let before = try await client.settings(b)
            let r = try await client.putSettings(a, #"{"confirmation_mode": "ask", "shopify_webhook_secret": "a-only", "timezone": "Asia/Tokyo"}"#)
            #expect(r.status == .ok)
            let after = try await client.settings(b)
            #expect(after == before)
            #expect(after["shopify_webhook_secret_set"].bool == false)
            #expect(after["webhook_url"].string?.hasSuffix("/api/v1/webhooks/\(b.id)") == true)
        }
    }

    @Test func oneTenantsSecretDoesNotValidateOnAnothersURL() async throws {
        try await withEachClient { _, client in
            let a = try await client.merchant("sec-a@example.com", secret: "secret-of-a")
            let b = try await client.merchant("sec-b@example.com", secret: "secret-of-b")
            let body = ShopifyOrder(id: 77).bytes
            let r = try await client.webhook(to: b.id, body, secret: "secret-of-a")
            #expect(r.status == .unauthorized)
            #expect(try await client.orderIDs(b).isEmpty)
            #expect(try await client.orderIDs(a).isEmpty)
            #expect(try await client.webhook(to: a.id, body, secret: "secret-of-a").status == .ok)
            #expect(try await client.orderIDs(a) == ["77"])
            #expect(try await client.orderIDs(b).isEmpty)
        }
    }

    @Test func aDashboardReceivesOnlyItsOwnTenantsFrames() async throws {
        try await withLiveClient { app, client in
            let a = try await client.merchant("ws-a@example.com", secret: "a-secret")
            let b = try await client.merchant("ws-b@example.com", secret: "b-secret")
            try await withTimeout(seconds: 20) {
                try await client.ws("/ws/orders?token=\(b.token)") { inbound, outbound, _ in
                    try await eventually("B's dashboard subscribed") { app.feed.subscriberCount == 1 }
                    var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    // A gets an order and a status change...
                    let order = ShopifyOrder(id: 5555, number: 5555)
                    let created = try await client.webhook(to: a.id, order.bytes, secret: "a-secret")
                    #expect(created.status == .ok)
                    #expect(try await client.setStatus(a, 5555, "confirmed").status == .ok)
                    // ...then B gets one: it must be the first thing B's dashboard sees.
                    let mine = try await client.webhook(to: b.id, ShopifyOrder(id: 6666, number: 6666).bytes, secret: "b-secret")
                    #expect(mine.status == .ok)
                    let first = try await nextFrame(&frames)
                    #expect(first["order"]["id"].string == "6666")
                    #expect(first["type"].string == "order.created")
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
        }
    }
}
