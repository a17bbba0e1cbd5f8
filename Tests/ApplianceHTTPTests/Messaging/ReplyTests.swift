import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Messaging: customer replies", .timeLimit(.minutes(2)))
struct ReplyTests {
    /// Sends order `id` and returns its wamid and the request the fake got.
    static func send(_ app: TestApp, _ client: any TestClientProtocol, _ s: Session, _ id: UInt64, fake: FakeGraphAPI?,
                     phone: String = "06 12 34 56 78") async throws -> (wamid: String, request: FakeGraphAPI.Recorded?) {
        let m = try app.msg
        let before = fake?.requestCount ?? 0
        try await client.deliver(messagingOrder(id, number: 1000 + Int(id), createdAt: m.now, phone: phone), to: s)
        try await m.advance(by: 1000)
        let order = try await app.registry.tenant(s.id).order(id)
        try #require(order.message.state == .sent, "\(order.message)")
        return (try #require(order.message.messageID), fake.flatMap { $0.requests.count > before ? $0.requests.last : nil })
    }

    static func payloads(_ request: FakeGraphAPI.Recorded?) throws -> [String] {
        let components = try #require(request?.json["template"]["components"].array)
        return components.dropFirst().compactMap { $0["parameters"][0]["payload"].string }
    }

    @Test func askModeSendsTwoQuickRepliesAndAButtonTapDecides() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("ask@example.com", mode: "ask", delay: 0)
                let (w1, r1) = try await Self.send(app, client, s, 71, fake: fake)
                let (_, r2) = try await Self.send(app, client, s, 72, fake: fake, phone: "07 98 76 54 32")

                // The template carries the body and two quick-reply buttons (0 confirms, 1 cancels).
                let components = try #require(r1?.json["template"]["components"].array)
                #expect(components.count == 3, "\(components)")
                #expect(components[0]["type"].string == "body")
                for (i, button) in components.dropFirst().enumerated() {
                    #expect(button["type"].string == "button")
                    #expect(button["sub_type"].string == "quick_reply")
                    #expect(button["index"].string == "\(i)")
                    #expect(button["parameters"][0]["type"].string == "payload")
                }
                let p1 = try Self.payloads(r1), p2 = try Self.payloads(r2)
                #expect(p1.count == 2 && p2.count == 2)
                #expect(Set(p1 + p2).count == 4, "payloads are unique per order and button: \(p1) \(p2)")

                // Sent in ask mode: still pending until the customer answers.
                #expect(try await client.requireOrder(s, 71)["status"].string == "pending")
                #expect(try await client.requireOrder(s, 71)["message"]["state"].string == "sent")

                // Meta reports the message delivered and read before the customer taps.
                try await client.meta(s, MetaBody.status(w1, "delivered"))
                try await client.meta(s, MetaBody.status(w1, "read"))
                #expect(try await client.requireOrder(s, 71)["message"]["state"].string == "read")

                try await withDashboard(app, client, s) { frames in
                    // Order 71: the first button confirms.
                    try await client.meta(s, MetaBody.button(payload: p1[0], text: "Confirm", id: "wamid.IN1", context: w1))
                    let confirmed = try await client.requireOrder(s, 71)
                    #expect(confirmed["status"].string == "confirmed")
                    #expect((confirmed["events"].array ?? []).contains { $0["type"].string == "status" && $0["status"].string == "confirmed" && $0["by"].string == "customer" })
                    let frame = try await frames.next("order.updated confirmed") { $0.frameType == "order.updated" }
                    #expect(frame["order"]["id"].string == "71")
                    #expect(frame["order"]["status"].string == "confirmed")
                }
                // Order 72: the second button cancels (its payload alone identifies the order).
                try await client.meta(s, MetaBody.button(payload: p2[1], text: "Cancel", from: "33798765432", id: "wamid.IN2"))
                #expect(try await client.requireOrder(s, 72)["status"].string == "cancelled")
                // A payload tapped again later decides nothing more.
                try await client.meta(s, MetaBody.button(payload: p2[0], text: "Confirm", from: "33798765432", id: "wamid.IN3"))
                let again = try await client.requireOrder(s, 72)
                #expect(again["status"].string == "cancelled")
                #expect((again["events"].array ?? []).contains { $0["type"].string == "reply" })
                let a = try await client.analytics(s)
                #expect(a["confirmed"].int == 1)
                #expect(a["cancelled"].int == 1)
            }
        }
    }

    @Test(arguments: [
        ("1", "confirmed"), ("sí", "confirmed"), ("oui", "confirmed"), ("sim", "confirmed"), ("نعم", "confirmed"), ("Yes!", "confirmed"),
        ("2", "cancelled"), ("no", "cancelled"), ("non", "cancelled"), ("não", "cancelled"), ("لا", "cancelled"), ("Cancel", "cancelled"),
    ])
    func textRepliesDecideAPendingAskOrder(text: String, expected: String) async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("text@example.com", mode: "ask", delay: 0)
                let (wamid, _) = try await Self.send(app, client, s, 73, fake: fake)
                try await client.meta(s, MetaBody.text(text, id: "wamid.TXT1", context: wamid))
                let order = try await client.requireOrder(s, 73)
                #expect(order["status"].string == expected, "\(text)")
                #expect((order["events"].array ?? []).contains { $0["type"].string == "reply" && $0["text"].string == text })
            }
        }
    }

    @Test func aReplyWithoutContextGoesToTheSendersMostRecentlyMessagedOrder() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("recent@example.com", mode: "ask", delay: 0)
                _ = try await Self.send(app, client, s, 74, fake: fake)
                _ = try await Self.send(app, client, s, 75, fake: fake)
                try await client.meta(s, MetaBody.text("2", id: "wamid.TXT2"))
                #expect(try await client.requireOrder(s, 75)["status"].string == "cancelled")
                #expect(try await client.requireOrder(s, 74)["status"].string == "pending")
            }
        }
    }

    @Test func repliesThatDecideNothingAreKeptAsReplyEvents() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                // Notify mode: the message said "confirmed"; a "2" does not cancel.
                let s = try await client.cloudMerchant("notifyreply@example.com", mode: "notify", delay: 0)
                let (w, _) = try await Self.send(app, client, s, 76, fake: fake)
                try await client.meta(s, MetaBody.text("2", id: "wamid.N1", context: w))
                var order = try await client.requireOrder(s, 76)
                #expect(order["status"].string == "confirmed")
                #expect((order["events"].array ?? []).last?["type"].string == "reply")
                #expect((order["events"].array ?? []).last?["text"].string == "2")

                // Ask mode, but the order is no longer pending.
                #expect(try await client.putSettings(s, #"{"confirmation_mode": "ask"}"#).status == .ok)
                let (w2, _) = try await Self.send(app, client, s, 77, fake: fake)
                #expect(try await client.setStatus(s, 77, "confirmed").status == .ok)
                try await client.meta(s, MetaBody.text("no", id: "wamid.N2", context: w2))
                order = try await client.requireOrder(s, 77)
                #expect(order["status"].string == "confirmed")
                #expect((order["events"].array ?? []).last?["type"].string == "reply")

                // A pending ask order and a reply that is not a choice.
                let (w3, _) = try await Self.send(app, client, s, 78, fake: fake)
                try await client.meta(s, MetaBody.text("Can I pay by card?", id: "wamid.N3", context: w3))
                order = try await client.requireOrder(s, 78)
                #expect(order["status"].string == "pending")
                #expect((order["events"].array ?? []).last?["text"].string == "Can I pay by card?")
            }
        }
    }

    @Test func aReplyDeliveredTwiceIsAppliedOnce() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("twice@example.com", mode: "ask", delay: 0)
                let (w, _) = try await Self.send(app, client, s, 79, fake: fake)
                let body = MetaBody.text("Which colour is it?", id: "wamid.DUP1", context: w)
                try await client.meta(s, body)
                let once = try await client.requireOrder(s, 79)
                try await client.meta(s, body)
                let twice = try await client.requireOrder(s, 79)
                #expect(twice["events"] == once["events"])
                #expect(twice["updated_at"] == once["updated_at"])
                #expect((twice["events"].array ?? []).filter { $0["type"].string == "reply" }.count == 1)
                // A decisive reply delivered twice: one decision, one status event.
                let yes = MetaBody.text("1", id: "wamid.DUP2", context: w)
                try await client.meta(s, yes)
                try await client.meta(s, yes)
                let decided = try await client.requireOrder(s, 79)
                #expect(decided["status"].string == "confirmed")
                #expect((decided["events"].array ?? []).filter { $0["type"].string == "status" }.count == 1)
                #expect((decided["events"].array ?? []).filter { $0["type"].string == "reply" }.count == 2)
            }
        }
    }

    @Test func aReplyMatchingNoOrderIsKeptInTheInbox() async throws {
        try await withMessagingApp(fake: nil) { app, client in
            let s = try await client.cloudMerchant("inbox@example.com", mode: "ask", delay: 0)
            // Meta's own inbound-text fixture: a number that was never messaged.
            let body = try WhatsAppFixtures.text("inbound-text.json")
            try await client.meta(s, body)
            try await client.meta(s, body)
            // A payload of an order that does not exist.
            try await client.meta(s, MetaBody.button(payload: ReplyPayload.make(tenantID: s.id, orderID: 424242, decision: .confirm),
                                                     text: "Confirm", from: "16505550000", id: "wamid.NOORDER"))
            let r = try await client.get("/api/v1/admin/whatsapp/inbox", token: s.token)
            #expect(r.status == .ok)
            let messages = try #require(r.json["messages"].array)
            #expect(messages.count == 2, "\(r.text)")
            let fixture = try #require(messages.first { $0["id"].string == "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=" })
            #expect(fixture["from"].string == "+16505551234")
            #expect(fixture["text"].string == "Does it come in another color?")
            #expect(fixture["at"].string == MessagingTime.iso(try app.msg.now))
            // Newest first.
            #expect(messages.first?["id"].string == "wamid.NOORDER")
            // Kept in the tenant's journal: it survives a restart.
            let tenant = try app.registry.tenant(s.id)
            #expect(await tenant.inboxMessages().count == 2)
            // Another tenant sees none of it.
            let other = try await client.merchant("inbox-other@example.com")
            let empty = try await client.get("/api/v1/admin/whatsapp/inbox", token: other.token)
            #expect(empty.json["messages"].array?.isEmpty == true)
            #expect(try await client.get("/api/v1/admin/whatsapp/inbox").status == .unauthorized)
        }
    }

    @Test func theInboxSurvivesARestart() async throws {
        try await withDataDirectory { root in
            let clock = ManualClock(now: MessagingTime.start)
            let setup = MessagingSetup(clock: clock, graphURL: "http://127.0.0.1:9/v21.0")
            let app = try await TestApp.open(root: root, options: TestApp.liveOptions, messaging: setup)
            let s = try await app.test(.live) { client in
                let s = try await client.cloudMerchant("inbox-restart@example.com")
                try await client.meta(s, try WhatsAppFixtures.text("inbound-text.json"))
                return s
            }
            await app.shutdown()
            let again = try await TestApp.open(root: root, options: TestApp.liveOptions, messaging: setup)
            try await again.test(.live) { client in
                let r = try await client.get("/api/v1/admin/whatsapp/inbox", token: s.token)
                #expect(r.json["messages"].array?.count == 1, "\(r.text)")
                // Still deduplicated after the restart.
                try await client.meta(s, try WhatsAppFixtures.text("inbound-text.json"))
                #expect(try await client.get("/api/v1/admin/whatsapp/inbox", token: s.token).json["messages"].array?.count == 1)
            }
            await again.shutdown()
        }
    }
}
