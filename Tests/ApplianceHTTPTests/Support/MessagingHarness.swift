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

/// How a ``TestApp`` runs the messaging system.
struct MessagingSetup: Sendable {
    /// Every component's clock (scheduler, dispatcher, tenants, tokens).
    var clock: ManualClock
    /// `WHATSAPP_GRAPH_URL`.
    var graphURL: String
    /// One Cloud API request's timeout (small, so a hanging fake ends `unknown` quickly).
    var timeoutMillis: Int64 = 10_000
    /// The Cloud API's HTTP client (default: the real one, AsyncHTTPClient).
    var transport: (any HTTPTransport)? = nil
    /// Replaces the providers entirely (default: `MessagingSystem.providers`, as `serve`).
    var providers: [Settings.Provider: any MessageProvider]? = nil
    var limits = MessageDispatcher.defaultLimits
    var retryPolicy: RetryPolicy? = nil

    init(clock: ManualClock = ManualClock(now: MessagingTime.start), graphURL: String, timeoutMillis: Int64 = 10_000,
         transport: (any HTTPTransport)? = nil) {
        self.clock = clock
        self.graphURL = graphURL
        self.timeoutMillis = timeoutMillis
        self.transport = transport
    }
}

/// Fixed instants of the messaging tests.
enum MessagingTime {
    /// 2026-03-02T10:00:00Z, a Monday.
    static let start: Int64 = 1_772_445_600_000
    static let minute: Int64 = 60_000

    static func iso(_ ms: Int64) -> String { Timestamp.format(ms) }
}

/// The running scheduler and dispatcher of a ``TestApp``.
struct MessagingHarness: Sendable {
    let clock: ManualClock
    let scheduler: MessageScheduler
    let system: MessagingSystem
    var dispatcher: MessageDispatcher { system.dispatcher }

    var now: Int64 { clock.now() }

    /// Moves the clock forward by `ms`, lets the scheduler process the ticks, and waits until
    /// every job that fell due has been handled (sent, retried, held, ...).
    func advance(by ms: Int64) async throws {
        clock.advance(by: ms)
        try await settle()
    }

    /// Moves the clock to `instant` (never backwards) and settles.
    func advance(to instant: Int64) async throws {
        try await advance(by: max(0, instant - clock.now()))
    }

    /// Ticks the scheduler at the current time and waits for the dispatcher to finish what it
    /// got. Sends that wait for a tenant's rate-limit gap (the Cloud API's 50 ms) get the clock
    /// moved on by that gap.
    func settle() async throws {
        scheduler.tick()
        // The scheduler hands due jobs over on a task of its own: wait until the dispatcher has them.
        let fired = scheduler.firedCount
        let dispatcher = self.dispatcher
        try await spin("the dispatcher to receive \(fired) job(s)") { await dispatcher.submitted >= fired }
        while true {
            let idle = try await withTimeout(seconds: 30) { await dispatcher.waitUntilIdleOrPaced() }
            if idle { return }
            let resumes = await dispatcher.pacingResumes
            clock.advance(by: gapMillis)
            try await spin("the paced sends to resume") { await dispatcher.pacingResumes > resumes }
        }
    }

    /// The largest rate-limit gap of the providers.
    var gapMillis: Int64 { MessageDispatcher.defaultLimits.values.map(\.minGapMillis).max() ?? 0 }

    /// Waits until `condition` holds (it depends on other tasks making a step or two): yields,
    /// then polls every millisecond (a spinning task could starve them on a small machine).
    func spin(_ what: String, _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        var polls = 0
        while await !condition() {
            guard ContinuousClock.now < deadline else { throw Waited(what: what) }
            polls += 1
            if polls < 16 { await Task.yield() } else { try await Task.sleep(for: .milliseconds(1)) }
        }
    }
}

extension TestApp {
    /// The messaging harness (the app must have been opened with a ``MessagingSetup``).
    var msg: MessagingHarness {
        get throws { try #require(messaging, "open the TestApp with a MessagingSetup") }
    }
}

/// Opens an application with messaging over a fresh data directory, runs `body` with a live
/// client (the real HTTP server on an ephemeral port), then shuts it down.
func withMessagingApp(
    fake: FakeGraphAPI?, configure: (inout MessagingSetup) -> Void = { _ in },
    _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void
) async throws {
    try await withDataDirectory { root in
        var setup = MessagingSetup(graphURL: fake?.graphURL ?? "http://127.0.0.1:9/v21.0")
        configure(&setup)
        try await withMessagingApp(root: root, setup: setup, body)
    }
}

/// Opens an application with messaging on the data directory `root`, runs `body` with a live
/// client, then shuts it down (a restart test calls it twice on one root).
func withMessagingApp(root: String, setup: MessagingSetup,
                      _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void) async throws {
    let app = try await TestApp.open(root: root, options: TestApp.liveOptions, messaging: setup)
    do {
        try await app.test(.live) { client in try await body(app, client) }
        await app.shutdown()
    } catch {
        await app.shutdown()
        throw error
    }
}

// MARK: Merchant setup and Meta callbacks

enum CloudTestSettings {
    static let phoneNumberID = "106540352242922"
    static let accessToken = "EAAG-test-token-1"
    static let templateName = "order_confirmation"
    static let templateLanguage = "fr"
    static let appSecret = "meta-app-secret-0123456789"
    static let verifyToken = "verify-me-please"
}

extension TestClientProtocol {
    /// A merchant using the Cloud API (everything set) with `delay` minutes and `mode`.
    func cloudMerchant(_ email: String, mode: String = "notify", delay: Double = 30, extra: String = "") async throws -> Session {
        let s = try await merchant(email)
        let r = try await putSettings(s, """
            {"whatsapp_provider": "cloud", "confirmation_mode": "\(mode)", "confirmation_delay_minutes": \(delay),
             "shop_name": "Maison Test",
             "cloud": {"phone_number_id": "\(CloudTestSettings.phoneNumberID)", "access_token": "\(CloudTestSettings.accessToken)",
                       "template_name": "\(CloudTestSettings.templateName)", "template_language": "\(CloudTestSettings.templateLanguage)",
                       "app_secret": "\(CloudTestSettings.appSecret)", "verify_token": "\(CloudTestSettings.verifyToken)"}\(extra)}
            """)
        try #require(r.status == .ok, "PUT cloud settings: \(r.status) \(r.text)")
        return s
    }

    /// Posts a Meta notification signed with `secret` (or with `signature` as given).
    func metaNotification(_ s: Session, _ body: String, secret: String = CloudTestSettings.appSecret,
                          signature: String?? = nil) async throws -> TestResponse {
        let bytes = Array(body.utf8)
        var headers: HTTPFields = [.contentType: "application/json"]
        let sig: String? = signature ?? MetaSignature.sign(body: bytes, appSecret: secret)
        if let sig { headers[HTTPField.Name("X-Hub-Signature-256")!] = sig }
        return try await send(.post, "/api/v1/whatsapp/\(s.id)/webhook", body: bytes, headers: headers)
    }

    /// Posts a correctly signed Meta notification that must be accepted.
    func meta(_ s: Session, _ body: String) async throws {
        let r = try await metaNotification(s, body)
        try #require(r.status == .ok, "Meta notification: \(r.status) \(r.text)")
    }

    func whatsappStatus(_ s: Session) async throws -> JSON {
        let r = try await get("/api/v1/admin/whatsapp/status", token: s.token)
        try #require(r.status == .ok, "GET whatsapp/status: \(r.status) \(r.text)")
        return r.json
    }

    func analytics(_ s: Session) async throws -> JSON {
        let r = try await get("/api/v1/admin/analytics", token: s.token)
        try #require(r.status == .ok, "GET analytics: \(r.status) \(r.text)")
        return r.json
    }
}

/// Meta webhook bodies (the envelope of reference C9).
enum MetaBody {
    static func envelope(_ value: String) -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",\
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"\(CloudTestSettings.phoneNumberID)"},\(value)},"field":"messages"}]}]}
        """
    }

    static func status(_ wamid: String, _ status: String, recipient: String = "33612345678", errorCode: Int? = nil) -> String {
        let errors = errorCode.map { #","errors":[{"code":\#($0),"title":"Message failed to send","message":"Message failed to send","error_data":{"details":"x"}}]"# } ?? ""
        return envelope(#""statuses":[{"id":"\#(wamid)","status":"\#(status)","timestamp":"1750030073","recipient_id":"\#(recipient)"\#(errors)}]"#)
    }

    static func text(_ body: String, from: String = "33612345678", id: String, context: String? = nil) -> String {
        let ctx = context.map { #","context":{"from":"15550783881","id":"\#($0)"}"# } ?? ""
        let escaped = String(decoding: try! JSONSerialization.data(withJSONObject: [body], options: []), as: UTF8.self).dropFirst().dropLast()
        return envelope(#""contacts":[{"profile":{"name":"Jeanne"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"1750030100","type":"text","text":{"body":\#(escaped)}\#(ctx)}]"#)
    }

    /// A template quick-reply tap (`type: button`, `button.payload`).
    static func button(payload: String, text: String, from: String = "33612345678", id: String, context: String? = nil) -> String {
        let ctx = context.map { #","context":{"from":"15550783881","id":"\#($0)"}"# } ?? ""
        return envelope(#""contacts":[{"profile":{"name":"Jeanne"},"wa_id":"\#(from)"}],"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"1750030100","type":"button","button":{"payload":"\#(payload)","text":"\#(text)"}\#(ctx)}]"#)
    }
}

// MARK: Dashboard

/// Connects a dashboard of `s` to `/ws/orders`, runs `body` with its frames, then closes it.
func withDashboard(_ app: TestApp, _ client: any TestClientProtocol, _ s: Session,
                   _ body: @escaping @Sendable (FrameQueue) async throws -> Void) async throws {
    let queue = FrameQueue()
    let before = app.feed.subscriberCount
    try await withTimeout(seconds: 60) {
        try await client.ws("/ws/orders?token=\(s.token)") { inbound, outbound, _ in
            try await eventually("the dashboard subscribed") { app.feed.subscriberCount > before }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let frame = try JSON(parsing: Array(text.utf8))
                        await queue.push(frame)
                    }
                }
                do {
                    try await body(queue)
                } catch {
                    try? await outbound.close(.normalClosure, reason: nil)
                    throw error
                }
                try await outbound.close(.normalClosure, reason: nil)
                try await group.waitForAll()
            }
        }
    }
}
