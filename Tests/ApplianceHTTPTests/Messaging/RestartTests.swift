import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Synchronization
import Testing

/// A Cloud API transport whose requests never come back until ``release()``: the process
/// "crashes" while a send is in flight.
final class BlockingTransport: HTTPTransport {
    struct State {
        var calls = 0
        var released = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }
    let state = Mutex(State())

    var calls: Int { state.withLock { $0.calls } }

    func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s in
                s.calls += 1
                if s.released { return true }
                s.waiting.append(c)
                return false
            }
            if now { c.resume() }
        }
        return .lost("released after the test")
    }

    func release() {
        let waiting = state.withLock { s in
            s.released = true
            defer { s.waiting = [] }
            return s.waiting
        }
        for c in waiting { c.resume() }
    }
}

@Suite("Messaging: crash and restart", .timeLimit(.minutes(2)))
struct RestartTests {
    static let minute = MessagingTime.minute

    /// Opens an app with messaging on `root`, runs `body` with a live client, shuts it down.
    static func run(root: String, setup: MessagingSetup,
                    _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void) async throws {
        try await withMessagingApp(root: root, setup: setup, body)
    }

    @Test func aCrashBetweenAttemptAndOutcomeLeavesUnknownNotAResend() async throws {
        try await withFakeGraphAPI { fake in
            try await withDataDirectory { root in
                let blocking = BlockingTransport()
                defer { blocking.release() }
                let clock = ManualClock(now: MessagingTime.start)
                let session = Mutex<Session?>(nil)
                // First run: the send starts (its attempt is journaled and synced) and never ends.
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL, transport: blocking)) { app, client in
                    let m = try app.msg
                    let s = try await client.cloudMerchant("crash@example.com", delay: 0)
                    session.withLock { $0 = s }
                    try await client.deliver(messagingOrder(61, createdAt: m.now), to: s)
                    clock.advance(by: 1000)
                    m.scheduler.tick()
                    try await m.spin("the send to start") { blocking.calls == 1 }
                    let order = try await client.requireOrder(s, 61)
                    #expect(order["message"]["state"].string == "sending")
                    #expect(order["message"]["attempts"].int == 1)
                }
                let s = try #require(session.withLock { $0 })
                // Second run, on the same data: the message is `unknown`, and nothing is sent on its own.
                clock.advance(by: 5 * Self.minute)
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    let m = try app.msg
                    let order = try await client.requireOrder(s, 61)
                    #expect(order["message"]["state"].string == "unknown", "\(order)")
                    #expect(order["message"]["last_error"].string != nil)
                    #expect(order["status"].string == "pending")
                    #expect((order["events"].array ?? []).contains { $0["type"].string == "unknown" })
                    #expect(!m.scheduler.isArmed(JobKey(tenantID: s.id, orderID: 61)))
                    try await m.advance(by: 120 * Self.minute)
                    #expect(fake.requestCount == 0)
                    #expect(try await client.requireOrder(s, 61)["message"]["state"].string == "unknown")

                    // The merchant resends it: once.
                    let r = try await client.resend(s, 61)
                    #expect(r.status == .accepted, "\(r.text)")
                    #expect(r.json["message"]["state"].string == "scheduled")
                    try await m.advance(by: 1000)
                    #expect(fake.requestCount == 1)
                    let after = try await client.requireOrder(s, 61)
                    #expect(after["message"]["state"].string == "sent")
                    #expect(after["message"]["attempts"].int == 2)
                    #expect(after["status"].string == "confirmed")
                    #expect((after["events"].array ?? []).contains { $0["type"].string == "resend" })
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 1)
                }
                // A third start changes nothing.
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    try await app.msg.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 1)
                    #expect(try await client.requireOrder(s, 61)["message"]["state"].string == "sent")
                }
            }
        }
    }

    @Test func restartReArmsPendingJobsWhichFireOnce() async throws {
        try await withFakeGraphAPI { fake in
            try await withDataDirectory { root in
                let clock = ManualClock(now: MessagingTime.start)
                let session = Mutex<Session?>(nil)
                let created = clock.now()
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    let m = try app.msg
                    let s = try await client.cloudMerchant("restart@example.com", delay: 30)
                    session.withLock { $0 = s }
                    try await client.deliver(messagingOrder(81, createdAt: created), to: s)
                    try await m.advance(by: 10 * Self.minute)
                    #expect(fake.requestCount == 0)
                }
                let s = try #require(session.withLock { $0 })
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    let m = try app.msg
                    #expect(m.scheduler.isArmed(JobKey(tenantID: s.id, orderID: 81)))
                    #expect(m.scheduler.pendingCount == 1)
                    try await m.advance(to: created + 30 * Self.minute - 1)
                    #expect(fake.requestCount == 0)
                    try await m.advance(by: 1)
                    #expect(fake.requestCount == 1)
                    #expect(try await client.requireOrder(s, 81)["message"]["state"].string == "sent")
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 1)
                }
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, _ in
                    let m = try app.msg
                    #expect(m.scheduler.pendingCount == 0)
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 1)
                }
            }
        }
    }

    @Test func overdueJobsAfterAnOutageFireOnceEachAndArePaced() async throws {
        try await withFakeGraphAPI { fake in
            try await withDataDirectory { root in
                let clock = ManualClock(now: MessagingTime.start)
                let session = Mutex<Session?>(nil)
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    let s = try await client.cloudMerchant("outage@example.com", delay: 10)
                    session.withLock { $0 = s }
                    for id: UInt64 in 1...5 {
                        try await client.deliver(messagingOrder(90 + id, number: 1090 + Int(id), createdAt: clock.now()), to: s)
                    }
                }
                let s = try #require(session.withLock { $0 })
                // Down for three hours: every job is overdue at the next start.
                clock.advance(by: 180 * Self.minute)
                fake.stampRequests(with: clock)
                try await Self.run(root: root, setup: MessagingSetup(clock: clock, graphURL: fake.graphURL)) { app, client in
                    let m = try app.msg
                    #expect(m.scheduler.pendingCount == 5)
                    try await m.advance(by: 1000)
                    #expect(fake.requestCount == 5)
                    let numbers = fake.requests.compactMap { $0.json["template"]["components"][0]["parameters"][1]["text"].string }
                    #expect(Set(numbers) == ["#1091", "#1092", "#1093", "#1094", "#1095"])
                    // The Cloud API's per-tenant rate limit spaces the sends.
                    let stamps = fake.requests.compactMap(\.stamp)
                    #expect(stamps.count == 5)
                    for (a, b) in zip(stamps, stamps.dropFirst()) { #expect(b - a >= 50, "\(stamps)") }
                    for id: UInt64 in 91...95 {
                        #expect(try await client.requireOrder(s, id)["message"]["state"].string == "sent")
                    }
                    try await m.advance(by: 60 * Self.minute)
                    #expect(fake.requestCount == 5)
                }
            }
        }
    }
}
