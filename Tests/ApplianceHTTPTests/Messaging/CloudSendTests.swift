import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// An order of Jeanne Dupont (France, `06 12 34 56 78` → `+33612345678`) created at `createdAt`.
func messagingOrder(_ id: UInt64, number: Int = 1001, createdAt: Int64, phone: String? = "06 12 34 56 78",
                    test: Bool = false, customer: String = "Jeanne Dupont") -> ShopifyOrder {
    ShopifyOrder(id: id, number: number, customer: customer, phone: phone, country: "FR",
                 createdAt: MessagingTime.iso(createdAt), test: test)
}

@Suite("Messaging: sending", .timeLimit(.minutes(2)))
struct CloudSendTests {
    static let minute = MessagingTime.minute

    @Test func orderSendsTheExactTemplateRequestAtItsDueTimeAndConfirms() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.success(wamid: "wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI"))
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("send@example.com", delay: 30)
                let created = m.now
                try await withDashboard(app, client, s) { frames in
                    try await client.deliver(messagingOrder(5001, createdAt: created), to: s)
                    let first = try await frames.next("order.created") { $0.frameType == "order.created" }
                    #expect(first["order"]["message"]["state"].string == "scheduled")

                    let before = try await client.requireOrder(s, 5001)
                    #expect(before["message"]["state"].string == "scheduled")
                    #expect(before["message"]["scheduled_at"].string == MessagingTime.iso(created + 30 * Self.minute))
                    #expect(before["message"]["provider"].string == "cloud")
                    #expect(before["phone"].string == "+33612345678")

                    // Just before the due time: nothing goes out.
                    try await m.advance(by: 30 * Self.minute - 1)
                    #expect(fake.requestCount == 0)
                    #expect(try await client.requireOrder(s, 5001)["message"]["state"].string == "scheduled")

                    // At the due time: exactly one request.
                    try await m.advance(by: 1)
                    #expect(fake.requestCount == 1)
                    let request = try #require(fake.requests.first)
                    #expect(request.method == "POST")
                    #expect(request.path == "/\(FakeGraphAPI.version)/\(CloudTestSettings.phoneNumberID)/messages")
                    #expect(request.headers["authorization"] == "Bearer \(CloudTestSettings.accessToken)")
                    #expect(request.headers["content-type"]?.hasPrefix("application/json") == true)
                    let body = request.json
                    #expect(body.keys == ["messaging_product", "recipient_type", "to", "type", "template"], "\(body)")
                    #expect(body["messaging_product"].string == "whatsapp")
                    #expect(body["recipient_type"].string == "individual")
                    #expect(body["to"].string == "+33612345678")
                    #expect(body["type"].string == "template")
                    #expect(body["template"]["name"].string == CloudTestSettings.templateName)
                    #expect(body["template"]["language"] == .object(["code": .string(CloudTestSettings.templateLanguage)]))
                    let components = try #require(body["template"]["components"].array)
                    #expect(components.count == 1, "notify mode has no buttons: \(components)")
                    #expect(components[0]["type"].string == "body")
                    let texts = (components[0]["parameters"].array ?? []).map { $0["text"].string }
                    #expect(texts == ["Jeanne Dupont", "#1001", "EUR 49.90", "-", "Maison Test"])
                    #expect((components[0]["parameters"].array ?? []).allSatisfy { $0["type"].string == "text" })

                    let after = try await client.requireOrder(s, 5001)
                    #expect(after["status"].string == "confirmed")
                    #expect(after["message"]["state"].string == "sent")
                    #expect(after["message"]["attempts"].int == 1)
                    #expect(after["message"]["last_error"].isNull)
                    let types = (after["events"].array ?? []).map { $0["type"].string ?? "" }
                    #expect(types.contains("sent"), "\(types)")
                    #expect((after["events"].array ?? []).contains { $0["type"].string == "status" && $0["status"].string == "confirmed" })
                    let stored = try await app.registry.tenant(s.id).order(5001)
                    #expect(stored.message.messageID == "wamid.HBgLMzM2MTIzNDU2NzgVAgARGBI")

                    let update = try await frames.next("order.updated with the sent message") {
                        $0.frameType == "order.updated" && $0["order"]["message"]["state"].string == "sent"
                    }
                    #expect(update["order"]["id"].string == "5001")
                    #expect(update["order"]["status"].string == "confirmed")
                }
                // Much later: still one request (a sent message is never sent again).
                try await m.advance(by: 24 * 60 * Self.minute - 60 * Self.minute)
                #expect(fake.requestCount == 1)
                #expect(m.scheduler.pendingCount == 0)
            }
        }
    }

    @Test func zeroDelaySendsOnTheNextTickAndFractionalDelaysAreKept() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("zero@example.com", delay: 0)
                try await client.deliver(messagingOrder(1, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 1)
                #expect(try await client.requireOrder(s, 1)["message"]["state"].string == "sent")

                #expect(try await client.putSettings(s, #"{"confirmation_delay_minutes": 0.5}"#).status == .ok)
                let created = m.now
                try await client.deliver(messagingOrder(2, number: 1002, createdAt: created), to: s)
                #expect(try await client.requireOrder(s, 2)["message"]["scheduled_at"].string == MessagingTime.iso(created + 30_000))
                try await m.advance(by: 29_999)
                #expect(fake.requestCount == 1)
                try await m.advance(by: 1)
                #expect(fake.requestCount == 2)
            }
        }
    }

    @Test func cancelledBeforeTheSendNothingIsSent() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("cancel@example.com", delay: 30)
                let created = m.now
                try await client.deliver(messagingOrder(7, createdAt: created), to: s)
                #expect(m.scheduler.isArmed(JobKey(tenantID: s.id, orderID: 7)))
                try await m.advance(by: 10 * Self.minute)
                var cancelled = messagingOrder(7, createdAt: created)
                cancelled.updated_at = MessagingTime.iso(created + 10 * Self.minute)
                cancelled.cancelled_at = cancelled.updated_at
                try await client.deliver(cancelled, to: s, topic: "orders/cancelled")
                let order = try await client.requireOrder(s, 7)
                #expect(order["status"].string == "cancelled")
                #expect(order["message"]["state"].string == "skipped")
                #expect(order["message"]["last_error"].string != nil)
                #expect(!m.scheduler.isArmed(JobKey(tenantID: s.id, orderID: 7)))
                try await m.advance(by: 60 * Self.minute)
                #expect(fake.requestCount == 0)
                #expect(try await client.requireOrder(s, 7)["message"]["state"].string == "skipped")
            }
        }
    }

    @Test func duplicateAndUpdatedDeliveriesSendOneMessage() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("dupes@example.com", delay: 5)
                let created = m.now
                try await client.deliver(messagingOrder(8, createdAt: created), to: s, webhookID: "wh-8")
                try await client.deliver(messagingOrder(8, createdAt: created), to: s, webhookID: "wh-8")
                try await client.deliver(messagingOrder(8, createdAt: created), to: s, webhookID: "wh-8b")
                try await m.advance(by: 6 * Self.minute)
                #expect(fake.requestCount == 1)
                // Shopify delivers the order again after the send: no second message.
                var later = messagingOrder(8, createdAt: created)
                later.updated_at = MessagingTime.iso(created + 7 * Self.minute)
                try await client.deliver(later, to: s, topic: "orders/updated")
                try await client.deliver(later, to: s, topic: "orders/create")
                try await m.advance(by: 60 * Self.minute)
                #expect(fake.requestCount == 1)
            }
        }
    }

    @Test func testOrdersAreNeverMessaged() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("testorder@example.com", delay: 0)
                try await client.deliver(messagingOrder(9, createdAt: m.now, test: true), to: s)
                let order = try await client.requireOrder(s, 9)
                #expect(order["message"]["state"].string == "skipped")
                #expect(order["message"]["last_error"].string?.contains("test") == true)
                try await m.advance(by: 60 * Self.minute)
                #expect(fake.requestCount == 0)
                #expect(try await client.requireOrder(s, 9)["status"].string == "pending")
            }
        }
    }

    @Test func quietHoursMoveTheSendToTheEndOfTheWindow() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                // Paris is UTC+1 in early March; quiet from 22:00 to 08:00 local.
                let s = try await client.cloudMerchant("quiet@example.com", delay: 30, extra: #", "timezone": "Europe/Paris", "quiet_hours": {"start": "22:00", "end": "08:00"}"#)
                // 20:45Z = 21:45 Paris: due 22:15 Paris, inside the window → 08:00 Paris = 07:00Z next day.
                try await m.advance(to: Timestamp.parse("2026-03-02T20:45:00Z")!)
                try await client.deliver(messagingOrder(11, createdAt: m.now), to: s)
                // An order due before the window starts keeps its time: 20:00Z + 30 min = 21:30 Paris.
                try await client.deliver(messagingOrder(12, number: 1012, createdAt: Timestamp.parse("2026-03-02T20:00:00Z")!), to: s)
                #expect(try await client.requireOrder(s, 11)["message"]["scheduled_at"].string == "2026-03-03T07:00:00Z")
                // 20:30Z is already past: order 12 goes out on the next tick.
                #expect(try await client.requireOrder(s, 12)["message"]["scheduled_at"].string == "2026-03-02T20:30:00Z")
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 1)
                #expect(fake.requests.first?.json["template"]["components"][0]["parameters"][1]["text"].string == "#1012")

                // Nothing during the night...
                try await m.advance(to: Timestamp.parse("2026-03-02T23:00:00Z")!)
                try await m.advance(to: Timestamp.parse("2026-03-03T06:59:59.999Z")!)
                #expect(fake.requestCount == 1)
                #expect(try await client.requireOrder(s, 11)["message"]["state"].string == "scheduled")
                // ...and the message at the end of the window.
                try await m.advance(by: 1)
                #expect(fake.requestCount == 2)
                #expect(try await client.requireOrder(s, 11)["message"]["state"].string == "sent")
            }
        }
    }

    @Test func logProviderRendersTheTemplateWithPresentmentMoney() async throws {
        try await withMessagingApp(fake: nil) { app, client in
            let m = try app.msg
            let s = try await client.merchant("log@example.com")
            let r = try await client.putSettings(s, """
                {"whatsapp_provider": "log", "confirmation_delay_minutes": 1, "shop_name": "Maison Test",
                 "message_template": "Bonjour {customer_name}, commande {order_number}: {total_price} {currency} chez {shop_name}."}
                """)
            try #require(r.status == .ok, "\(r.text)")
            var order = messagingOrder(21, number: 2021, createdAt: m.now)
            order.total_price_set = .init(shop_money: .init(amount: "49.90", currency_code: "EUR"),
                                          presentment_money: .init(amount: "54.10", currency_code: "USD"))
            order.presentment_currency = "USD"
            try await client.deliver(order, to: s)
            try await m.advance(by: Self.minute)
            let after = try await client.requireOrder(s, 21)
            #expect(after["message"]["state"].string == "sent")
            #expect(after["message"]["provider"].string == "log")
            #expect(after["status"].string == "confirmed")
            let sent = try #require((after["events"].array ?? []).first { $0["type"].string == "sent" })
            #expect(sent["text"].string == "Bonjour Jeanne Dupont, commande #2021: 54.10 USD chez Maison Test.")
            let status = try await client.whatsappStatus(s)
            #expect(status["provider"].string == "log")
            #expect(status["state"].string == "connected")
        }
    }
}
