import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Messaging: Cloud API errors", .timeLimit(.minutes(2)))
struct CloudErrorTests {
    static let minute = MessagingTime.minute

    /// The scheduler's tick at or after `ms` (a job fires on the first whole second at or past its due time).
    static func tick(_ ms: Int64) -> Int64 { (ms + 999) / 1000 * 1000 }

    /// Checks nothing is sent just before the order's `scheduled_at` (it must be scheduled),
    /// then advances to the tick that fires it and settles.
    static func advanceToDue(_ m: MessagingHarness, _ client: any TestClientProtocol, _ s: Session, _ id: UInt64,
                             fake: FakeGraphAPI) async throws {
        let order = try await client.requireOrder(s, id)
        try #require(order["message"]["state"].string == "scheduled", "\(order)")
        let due = try #require(order["message"]["scheduled_at"].string.flatMap(Timestamp.parse))
        let before = fake.requestCount
        try await m.advance(to: due - 1)
        #expect(fake.requestCount == before, "nothing is sent before the due time")
        try await m.advance(to: tick(due))
    }

    @Test(arguments: [FakeGraphAPI.Reply.throughputLimit(), .internalError(),
                      .graphError(status: 400, code: 131056, message: "(Business Account, Consumer Account) pair rate limit hit")])
    func retriableErrorsAreRetriedWithBackoffThenSucceed(error: FakeGraphAPI.Reply) async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(error, error, .success(wamid: "wamid.RETRIED"))
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("retry@example.com", delay: 0)
                try await client.deliver(messagingOrder(31, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 1)
                var order = try await client.requireOrder(s, 31)
                #expect(order["message"]["state"].string == "scheduled")
                #expect(order["message"]["attempts"].int == 1)
                #expect(order["message"]["last_error"].string?.contains("retrying") == true, "\(order)")
                let firstDelay = try #require(order["message"]["scheduled_at"].string.flatMap(Timestamp.parse)) - m.now
                // Exponential backoff with jitter: at least half the base delay, never immediate.
                #expect(firstDelay >= 1000, "\(firstDelay)")

                try await Self.advanceToDue(m, client, s, 31, fake: fake)
                #expect(fake.requestCount == 2)
                order = try await client.requireOrder(s, 31)
                #expect(order["message"]["attempts"].int == 2)
                #expect(order["message"]["state"].string == "scheduled")
                let secondDelay = try #require(order["message"]["scheduled_at"].string.flatMap(Timestamp.parse)) - m.now
                #expect(secondDelay >= firstDelay / 2, "backoff grows: \(firstDelay) then \(secondDelay)")

                try await Self.advanceToDue(m, client, s, 31, fake: fake)
                #expect(fake.requestCount == 3)
                order = try await client.requireOrder(s, 31)
                #expect(order["message"]["state"].string == "sent")
                #expect(order["message"]["attempts"].int == 3)
                #expect(order["message"]["last_error"].isNull)
                #expect(order["status"].string == "confirmed")
                // Every attempt was the same message.
                let bodies = fake.requests.map(\.json)
                #expect(Set(bodies.map(\.description)).count == 1)
            }
        }
    }

    @Test func sixFailedAttemptsEndFailed() async throws {
        try await withFakeGraphAPI { fake in
            fake.setDefault(.throughputLimit())
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("sixfail@example.com", delay: 0)
                let start = m.now
                try await client.deliver(messagingOrder(32, createdAt: start), to: s)
                try await m.advance(by: 1000)
                for attempt in 2...6 {
                    try await Self.advanceToDue(m, client, s, 32, fake: fake)
                    #expect(fake.requestCount == attempt)
                    #expect(try await client.requireOrder(s, 32)["message"]["attempts"].int == attempt)
                }
                let order = try await client.requireOrder(s, 32)
                #expect(order["message"]["state"].string == "failed", "\(order)")
                #expect(order["message"]["attempts"].int == 6)
                #expect(order["message"]["last_error"].string?.contains("130429") == true, "\(order)")
                #expect(order["status"].string == "pending")
                // All six attempts within an hour of the first.
                #expect(m.now - start <= 60 * Self.minute)
                try await m.advance(by: 120 * Self.minute)
                #expect(fake.requestCount == 6)
                #expect(try await client.analytics(s)["messages"]["failed"].int == 1)
                // A failed message can be resent by hand.
                fake.setDefault(nil)
                #expect(try await client.resend(s, 32).status == .accepted)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 7)
                #expect(try await client.requireOrder(s, 32)["message"]["state"].string == "sent")
            }
        }
    }

    @Test func invalidRecipientFailsWithoutRetry() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.undeliverable())
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("invalid@example.com", delay: 0)
                try await client.deliver(messagingOrder(33, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                let order = try await client.requireOrder(s, 33)
                #expect(order["message"]["state"].string == "failed")
                #expect(order["message"]["attempts"].int == 1)
                #expect(order["message"]["last_error"].string?.contains("131026") == true, "\(order)")
                #expect(order["status"].string == "pending")
                #expect(!m.scheduler.isArmed(JobKey(tenantID: s.id, orderID: 33)))
                try await m.advance(by: 120 * Self.minute)
                #expect(fake.requestCount == 1)
                // The provider is not in error for one bad number.
                #expect(try await client.whatsappStatus(s)["state"].string == "connected")
            }
        }
    }

    @Test(arguments: [
        FakeGraphAPI.Reply.tokenExpired(),
        .graphError(status: 400, code: 132001, message: "Template name does not exist in the translation",
                    details: "template name (order_confirmation) does not exist in fr"),
        .graphError(status: 400, code: 132000, message: "Number of parameters does not match the expected number of params"),
    ])
    func providerErrorsHoldJobsUntilTheSettingsChange(error: FakeGraphAPI.Reply) async throws {
        guard case .graphError(_, let code, _, _, _) = error else { return }
        try await withFakeGraphAPI { fake in
            fake.enqueue(error)
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("hold@example.com", delay: 0)
                #expect(try await client.whatsappStatus(s)["state"].string == "connected")
                try await withDashboard(app, client, s) { frames in
                    try await client.deliver(messagingOrder(41, createdAt: m.now), to: s)
                    try await m.advance(by: 1000)
                    #expect(fake.requestCount == 1)

                    let held = try await client.requireOrder(s, 41)
                    #expect(held["message"]["state"].string == "scheduled", "\(held)")
                    #expect(held["message"]["attempts"].int == 0)
                    #expect(held["message"]["last_error"].string?.contains("\(code)") == true, "\(held)")
                    let status = try await client.whatsappStatus(s)
                    #expect(status["provider"].string == "cloud")
                    #expect(status["state"].string == "error")
                    #expect(status["detail"].string?.contains("\(code)") == true, "\(status)")
                    let frame = try await frames.next("whatsapp.status error") { $0.frameType == "whatsapp.status" }
                    #expect(frame["whatsapp"]["state"].string == "error")
                    #expect(frame["whatsapp"]["provider"].string == "cloud")
                    #expect(frame["whatsapp"]["detail"] == status["detail"])

                    // Held: a second order falls due and is not sent; it says why, from the
                    // record that stores it (no job fires just to say so).
                    try await client.deliver(messagingOrder(42, number: 1042, createdAt: m.now), to: s)
                    let arrived = try await client.requireOrder(s, 42)
                    #expect(arrived["message"]["last_error"].string?.contains("\(code)") == true, "\(arrived)")
                    try await m.advance(by: 1000)
                    #expect(fake.requestCount == 1)
                    let second = try await client.requireOrder(s, 42)
                    #expect(second["message"]["state"].string == "scheduled")
                    #expect(second["message"]["attempts"].int == 0)
                    #expect(second["message"]["last_error"].string?.contains("\(code)") == true, "\(second)")
                    // Time passing changes nothing.
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 1)
                    #expect(try await client.requireOrder(s, 42)["message"]["state"].string == "scheduled")
                    #expect(try await client.requireOrder(s, 41)["message"]["state"].string == "scheduled")

                    // New settings release the jobs: each order is sent once.
                    let r = try await client.putSettings(s, #"{"cloud": {"access_token": "EAAG-test-token-2"}}"#)
                    #expect(r.status == .ok)
                    let fixed = try await frames.next("whatsapp.status connected") { $0.frameType == "whatsapp.status" }
                    #expect(fixed["whatsapp"]["state"].string == "connected", "\(fixed)")
                    #expect(try await client.whatsappStatus(s)["state"].string == "connected")
                    try await m.advance(by: 1000)
                    #expect(fake.requestCount == 3)
                    let later = fake.requests.dropFirst()
                    #expect(later.allSatisfy { $0.headers["authorization"] == "Bearer EAAG-test-token-2" })
                    #expect(Set(later.compactMap { $0.json["template"]["components"][0]["parameters"][1]["text"].string }) == ["#1001", "#1042"])
                    for id: UInt64 in [41, 42] {
                        let order = try await client.requireOrder(s, id)
                        #expect(order["message"]["state"].string == "sent")
                        #expect(order["message"]["attempts"].int == 1)
                    }
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 3)
                    // Exactly one whatsapp.status frame per change.
                    let statusFrames = await frames.all.filter { $0.frameType == "whatsapp.status" }
                    #expect(statusFrames.count == 2, "\(statusFrames)")
                }
            }
        }
    }

    @Test func heldJobRetriesGetAFreshWindowAfterTheFix() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.tokenExpired(), .throughputLimit())
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("window@example.com", delay: 0)
                try await client.deliver(messagingOrder(43, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(try await client.whatsappStatus(s)["state"].string == "error")
                // The merchant fixes the token two hours later; Meta then answers one 130429.
                try await m.advance(by: 120 * Self.minute)
                #expect(try await client.putSettings(s, #"{"cloud": {"access_token": "EAAG-new"}}"#).status == .ok)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 2)
                let order = try await client.requireOrder(s, 43)
                // The held attempt never reached Meta: this is attempt 1 of 6, so it is retried.
                #expect(order["message"]["state"].string == "scheduled", "\(order)")
                #expect(order["message"]["attempts"].int == 1)
                try await Self.advanceToDue(m, client, s, 43, fake: fake)
                #expect(try await client.requireOrder(s, 43)["message"]["state"].string == "sent")
            }
        }
    }

    @Test func aTimeoutEndsUnknownAndIsNotRetried() async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.hang)
            // The timeout is real time and also bounds the resend below, which must succeed: 300 ms
            // was too short for it on a loaded CI machine; 2 s still ends the hang promptly.
            try await withMessagingApp(fake: fake, configure: { $0.timeoutMillis = 2000 }) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("timeout@example.com", delay: 0)
                try await client.deliver(messagingOrder(51, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 1)
                let order = try await client.requireOrder(s, 51)
                #expect(order["message"]["state"].string == "unknown", "\(order)")
                #expect(order["message"]["last_error"].string != nil)
                #expect(order["status"].string == "pending")
                try await m.advance(by: 120 * Self.minute)
                #expect(fake.requestCount == 1)
                // Resent by hand: once.
                #expect(try await client.resend(s, 51).status == .accepted)
                try await m.advance(by: 1000)
                #expect(fake.requestCount == 2)
                // The fake counts the request as it arrives; the outcome is journaled just after.
                try await eventually("the resent message recorded as sent") {
                    (try? await client.requireOrder(s, 51)["message"]["state"].string) == "sent"
                }
            }
        }
    }

    @Test(arguments: [502, 503])
    func aGatewayErrorWithoutGraphBodyIsUnknown(status: Int) async throws {
        try await withFakeGraphAPI { fake in
            fake.enqueue(.raw(status: status, body: "<html>Bad gateway</html>"))
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("gateway@example.com", delay: 0)
                try await client.deliver(messagingOrder(52, createdAt: m.now), to: s)
                try await m.advance(by: 1000)
                #expect(try await client.requireOrder(s, 52)["message"]["state"].string == "unknown")
                try await m.advance(by: 120 * Self.minute)
                #expect(fake.requestCount == 1)
            }
        }
    }

    @Test func anUnreachableGraphAPIIsRetried() async throws {
        // Port 9 (discard) on loopback is closed: the connection is refused, nothing was sent.
        // (AsyncHTTPClient keeps retrying a refused connect until the request deadline.)
        try await withMessagingApp(fake: nil, configure: { $0.timeoutMillis = 1000 }) { app, client in
            let m = try app.msg
            let s = try await client.cloudMerchant("unreachable@example.com", delay: 0)
            try await client.deliver(messagingOrder(53, createdAt: m.now), to: s)
            try await m.advance(by: 1000)
            let order = try await client.requireOrder(s, 53)
            #expect(order["message"]["state"].string == "scheduled", "\(order)")
            #expect(order["message"]["attempts"].int == 1)
            #expect(order["message"]["last_error"].string?.contains("retrying") == true, "\(order)")
        }
    }

    @Test func resendIsRefusedForMessagesThatAreNotFailedUnknownOrSkipped() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let m = try app.msg
                let s = try await client.cloudMerchant("resend409@example.com", delay: 5)
                try await client.deliver(messagingOrder(54, createdAt: m.now), to: s)
                #expect(try await client.resend(s, 54).status == .conflict)
                try await m.advance(by: 5 * Self.minute)
                #expect(try await client.requireOrder(s, 54)["message"]["state"].string == "sent")
                #expect(try await client.resend(s, 54).status == .conflict)
                #expect(fake.requestCount == 1)
            }
        }
    }
}
