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

@Suite("Live feed")
struct LiveFeedTests {
    @Test func orderCreatedThenUpdatedFrames() async throws {
        try await withLiveClient { app, client in
            let s = try await client.merchant("live@example.com")
            let log = FrameLog()
            try await withTimeout(seconds: 20) {
                try await client.ws("/ws/orders?token=\(s.token)") { inbound, outbound, _ in
                    try await eventually("the dashboard subscribed") { app.feed.subscriberCount == 1 }
                    var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    try await client.deliver(ShopifyOrder(id: 820982911946154508, number: 4242), to: s)
                    let created = try await nextFrame(&frames)
                    log.append("\(created)")
                    #expect(created["type"].string == "order.created")
                    #expect(created["order"]["id"].string == "820982911946154508")
                    #expect(created["order"]["order_number"].string == "#4242")
                    #expect(created["order"]["status"].string == "pending")
                    #expect(created["order"]["message"]["state"].string == "scheduled")

                    let r = try await client.setStatus(s, 820982911946154508, "confirmed")
                    #expect(r.status == .ok)
                    let updated = try await nextFrame(&frames)
                    log.append("\(updated)")
                    #expect(updated["type"].string == "order.updated")
                    #expect(updated["order"]["id"].string == "820982911946154508")
                    #expect(updated["order"]["status"].string == "confirmed")
                    #expect(updated["order"]["updated_at"] == r.json["updated_at"])

                    // A Shopify cancellation is pushed too.
                    try await client.deliver(ShopifyOrder(id: 820982911946154508, number: 4242, updatedAt: "2025-03-02T00:00:00Z"), to: s,
                                             topic: "orders/cancelled")
                    let cancelled = try await nextFrame(&frames)
                    log.append("\(cancelled)")
                    #expect(cancelled["type"].string == "order.updated")
                    #expect(cancelled["order"]["status"].string == "cancelled")
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            #expect(log.all.count == 3)
            try await eventually("the server dropped the subscription") { app.feed.subscriberCount == 0 }
        }
    }

    @Test func duplicateAndStaleDeliveriesSendNothing() async throws {
        try await withLiveClient { app, client in
            let s = try await client.merchant("quiet@example.com")
            try await client.deliver(ShopifyOrder(id: 1, updatedAt: "2025-03-01T12:00:00Z"), to: s, webhookID: "wh-1")
            try await withTimeout(seconds: 20) {
                try await client.ws("/ws/orders?token=\(s.token)") { inbound, outbound, _ in
                    try await eventually("the dashboard subscribed") { app.feed.subscriberCount == 1 }
                    var frames = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                    // A repeated delivery id, a stale update, and a same-status change: no frames.
                    try await client.deliver(ShopifyOrder(id: 1, updatedAt: "2025-03-01T13:00:00Z"), to: s, webhookID: "wh-1")
                    try await client.deliver(ShopifyOrder(id: 1, updatedAt: "2025-03-01T11:00:00Z", total: "1.00"), to: s, topic: "orders/updated")
                    #expect(try await client.setStatus(s, 1, "pending").status == .ok)
                    // Then a real change: it must be the first frame.
                    try await client.deliver(ShopifyOrder(id: 2), to: s)
                    let first = try await nextFrame(&frames)
                    #expect(first["type"].string == "order.created")
                    #expect(first["order"]["id"].string == "2")
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
        }
    }

    @Test(arguments: ["", "?token=", "?token=garbage", "?token=EXPIRED"])
    func badTokenUpgradeIsRefusedWith401(query: String) async throws {
        try await withLiveClient { app, client in
            let s = try await client.signup("refused@example.com")
            let q = query.replacingOccurrences(of: "EXPIRED", with: try app.token(userID: s.id, issuedAt: app.clock.now() / 1000 - 48 * 3600))
            // The WebSocket client only reports that the upgrade failed...
            await #expect(throws: (any Error).self) {
                try await withTimeout(seconds: 20) {
                    try await client.ws("/ws/orders\(q)") { _, outbound, _ in
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                }
            }
            #expect(app.feed.subscriberCount == 0)
            // ...so check the status of a real handshake on a plain socket.
            let port = try #require(client.port)
            let response = try await rawHTTP(port: port, upgradeRequest("/ws/orders\(q)"))
            #expect(statusCode(of: response) == 401, "\(response)")
            #expect(response.contains(#""code":"unauthorized""#), "\(response)")
            // The same handshake with a good token is switched.
            let ok = try await rawHTTP(port: port, upgradeRequest("/ws/orders?token=\(s.token)"))
            #expect(statusCode(of: ok) == 101, "\(ok)")
        }
    }

    @Test func tokenExpiringWhileConnectedClosesWith4401() async throws {
        try await withLiveClient { app, client in
            let s = try await client.signup("expiring@example.com")
            // The token has seven to eight seconds left (tokens carry whole seconds): enough for the
            // upgrade on a loaded machine, short enough to wait for.
            app.clock.advance(seconds: 24 * 3600 - 8)
            let close = try await withTimeout(seconds: 20) {
                try await client.ws("/ws/orders?token=\(s.token)") { inbound, _, _ in
                    for try await _ in inbound {}
                }
            }
            #expect(close?.closeCode == .unknown(4401), "\(String(describing: close))")
        }
    }

    @Test func fiftyFailuresFromOneAddressThrottleEveryEmail() async throws {
        try await withLiveClient { _, client in
            try await client.signup("victim@example.com", "victim's password")
            for i in 1...50 {
                let r = try await client.loginResponse("guess\(i)@example.com", "wrong password")
                #expect(r.status == .unauthorized, "attempt \(i)")
            }
            let r = try await client.loginResponse("victim@example.com", "victim's password")
            #expect(r.status == .tooManyRequests)
            #expect(r.headers[.retryAfter] != nil)
        }
    }

    @Test func plainGetOfTheFeedIs401OrUpgradeRequired() async throws {
        try await withRouterClient { _, client in
            let s = try await client.signup("plainget@example.com")
            let anonymous = try await client.get("/ws/orders")
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.errorCode == "unauthorized")
            #expect(try await client.get("/ws/orders?token=garbage").status == .unauthorized)
            #expect(try await client.get("/ws/orders?token=\(s.token)").status == .upgradeRequired)
        }
    }
}
