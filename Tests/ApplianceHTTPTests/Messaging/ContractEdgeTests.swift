import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Contract points that were gaps once: replies from a `wa_id` spelled differently from the
/// number we sent to, provider holds across restarts, retries inside quiet hours.
@Suite("Messaging: wa_id replies, durable holds, quiet-hour retries", .timeLimit(.minutes(2)))
struct ContractEdgeTests {
    static let minute = MessagingTime.minute

    /// Contract "Replies": a reply without context maps to "the sender's most recently messaged
    /// order". Meta's `from` is the `wa_id`, which for Mexico (521…), Brazil (no 9th digit) and
    /// Argentina differs from the E.164 number.
    @Test func aMexicanReplyWithoutContextFindsItsOrder() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.success(wamid: "wamid.MX1", waID: "5215512345678"))
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("mexico@example.com", mode: "ask", delay: 0)
                var order = messagingOrder(301, createdAt: m.now, phone: "55 1234 5678")
                order.shipping_address?.country_code = "MX"
                try await client.deliver(order, to: s)
                try await m.advance(by: 1000)
                #expect(fake.requests.first?.json["to"].string == "+525512345678")
                try await client.meta(s, MetaBody.text("1", from: "5215512345678", id: "wamid.MXIN"))
                let after = try await client.requireOrder(s, 301)
                #expect(after["status"].string == "confirmed")
            }
        }
    }

    /// Contract "WhatsAppStatus": `error` with `detail` after a token error "until the settings
    /// change" — a restart is not a settings change: the hold is journaled and nothing is sent
    /// again with the bad token.
    @Test func aHoldSurvivesARestart() async throws {
        try await withFakeGraphAPI { fake in
            fake.setDefault(.tokenExpired())
            try await withDataDirectory { root in
                let clock = ManualClock(now: MessagingTime.start)
                let setup = MessagingSetup(clock: clock, graphURL: fake.graphURL)
                let first = try await TestApp.open(root: root, options: TestApp.liveOptions, messaging: setup)
                let s = try await first.test(.live) { client in
                    let s = try await client.cloudMerchant("holdrestart@example.com", delay: 0)
                    try await client.deliver(messagingOrder(302, createdAt: clock.now()), to: s)
                    try await first.msg.advance(by: 1000)
                    #expect(try await client.whatsappStatus(s)["state"].string == "error")
                    return s
                }
                await first.shutdown()
                #expect(fake.requestCount == 1)
                let second = try await TestApp.open(root: root, options: TestApp.liveOptions, messaging: setup)
                try await second.test(.live) { client in
                    let state = try await client.whatsappStatus(s)["state"].string
                    try await second.msg.advance(by: 1000)
                    #expect(state == "error")
                    #expect(fake.requestCount == 1)
                    // Whatever happens, the message is still held, not burned.
                    #expect(try await client.requireOrder(s, 302)["message"]["state"].string == "scheduled")
                }
                await second.shutdown()
            }
        }
    }

    /// Issue 3: "A job due … inside the tenant's quiet hours moves to the end of the quiet
    /// window." Retries too.
    @Test func aRetryDueInQuietHoursWaitsForTheirEnd() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.throughputLimit())
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("quietretry@example.com", delay: 0,
                                                       extra: #", "timezone": "UTC", "quiet_hours": {"start": "22:00", "end": "08:00"}"#)
                // The first attempt runs at 21:59:59Z, just before the window; its retry falls inside.
                try await m.advance(to: Timestamp.parse("2026-03-02T21:59:58Z")!)
                try await client.deliver(messagingOrder(303, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 1)
                let order = try await client.requireOrder(s, 303)
                let due = try #require(order["message"]["scheduled_at"].string.flatMap(Timestamp.parse))
                #expect(due >= Timestamp.parse("2026-03-03T08:00:00Z")!, "\(order)")
            }
        }
    }
}
