import ApplianceDomain
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A stand-in for Meta's Graph API: a real Hummingbird server on 127.0.0.1 (an ephemeral port)
/// that records every request and answers from a script (then with a default answer).
final class FakeGraphAPI: Sendable {
    /// One request as the fake received it.
    struct Recorded: Sendable {
        let method: String
        let path: String
        /// Header names lower-cased.
        let headers: [String: String]
        let body: [UInt8]
        /// The test clock's time when the request arrived (see ``stampRequests(with:)``).
        var stamp: Int64?
        var json: JSON { (try? JSON(parsing: body)) ?? .missing }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// How the fake answers one request.
    enum Reply: Sendable {
        /// 200 with Meta's success shape, this `wamid`, and `waID` (default: the digits of `to`).
        case success(wamid: String, waID: String? = nil)
        /// A Graph error envelope with this HTTP status.
        case graphError(status: Int, code: Int, message: String, type: String = "OAuthException", details: String? = nil)
        /// Any status and body.
        case raw(status: Int, body: String)
        /// Never answers (until the fake stops): the client's read timeout fires.
        case hang

        static func tokenExpired() -> Reply {
            .graphError(status: 401, code: 190, message: "Error validating access token: Session has expired", details: "The access token has expired")
        }
        static func throughputLimit() -> Reply {
            .graphError(status: 429, code: 130429, message: "Rate limit hit", type: "OAuthException",
                        details: "Cloud API message throughput has been reached.")
        }
        static func undeliverable() -> Reply {
            .graphError(status: 400, code: 131026, message: "Message Undeliverable.", details: "Message Undeliverable.")
        }
        static func internalError() -> Reply {
            .graphError(status: 500, code: 131000, message: "Something went wrong", details: "Something went wrong")
        }
    }

    struct State {
        var requests: [Recorded] = []
        var script: [Reply] = []
        var defaultReply: Reply?
        var hanging: [CheckedContinuation<Void, Never>] = []
        var stopped = false
        var nextWamid = 1
        var stampClock: (any WallClock)?
    }

    let state = Mutex(State())
    private let group: Mutex<ServiceGroup?> = Mutex(nil)
    private let runTask: Mutex<Task<Void, any Error>?> = Mutex(nil)
    private let portBox = Mutex<Int>(0)

    /// The API version path the appliance is pointed at, like `https://graph.facebook.com/v21.0`.
    static let version = "v21.0"

    /// `WHATSAPP_GRAPH_URL` for this fake.
    var graphURL: String { "http://127.0.0.1:\(port)/\(Self.version)" }
    var port: Int { portBox.withLock { $0 } }

    private init() {}

    /// Starts a fake on an ephemeral port.
    static func start() async throws -> FakeGraphAPI {
        let fake = FakeGraphAPI()
        let router = Router()
        router.post("**") { request, _ in try await fake.handle(request) }
        router.get("**") { request, _ in try await fake.handle(request) }
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let logger = Logger(label: "fake-graph-api", factory: { _ in SwiftLogNoOpLogHandler() })
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "fake-graph"),
            onServerRunning: { channel in
                portsContinuation.yield(channel.localAddress?.port ?? 0)
                portsContinuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        fake.group.withLock { $0 = group }
        fake.runTask.withLock {
            $0 = Task {
                // A server that cannot start ends the wait for its port too.
                defer { portsContinuation.finish() }
                try await group.run()
            }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw Waited(what: "the fake Graph API to listen") }
        fake.portBox.withLock { $0 = port }
        return fake
    }

    /// Releases hanging requests and stops the server.
    func stop() async {
        let hanging = state.withLock { s in
            s.stopped = true
            defer { s.hanging = [] }
            return s.hanging
        }
        for h in hanging { h.resume() }
        if let group = group.withLock({ $0 }) { await group.triggerGracefulShutdown() }
        if let task = runTask.withLock({ $0 }) { _ = try? await task.value }
    }

    /// Queues answers for the next requests, in order.
    func enqueue(_ replies: Reply...) {
        state.withLock { $0.script.append(contentsOf: replies) }
    }

    /// The answer once the script is used up (default: success with a fresh wamid).
    func setDefault(_ reply: Reply?) {
        state.withLock { $0.defaultReply = reply }
    }

    /// Records the time of `clock` with each request from now on.
    func stampRequests(with clock: any WallClock) {
        state.withLock { $0.stampClock = clock }
    }

    /// Every request so far, oldest first.
    var requests: [Recorded] { state.withLock { $0.requests } }
    var requestCount: Int { state.withLock { $0.requests.count } }
    /// Requests still hanging.
    var hangingCount: Int { state.withLock { $0.hanging.count } }

    func handle(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var recorded = Recorded(method: request.method.rawValue, path: request.uri.path, headers: headers,
                                body: Array(body.readableBytesView))
        let reply: Reply = state.withLock { s in
            recorded.stamp = s.stampClock?.now()
            s.requests.append(recorded)
            if !s.script.isEmpty { return s.script.removeFirst() }
            if let d = s.defaultReply { return d }
            defer { s.nextWamid += 1 }
            return .success(wamid: "wamid.FAKE\(s.nextWamid)")
        }
        switch reply {
        case .success(let wamid, let waID):
            let to = recorded.json["to"].string ?? ""
            let digits = waID ?? to.filter(\.isNumber)
            return Self.json(200, #"{"messaging_product":"whatsapp","contacts":[{"input":"\#(to)","wa_id":"\#(digits)"}],"messages":[{"id":"\#(wamid)"}]}"#)
        case .graphError(let status, let code, let message, let type, let details):
            var error: [String: Any] = ["message": message, "type": type, "code": code, "fbtrace_id": "AbCdEf123"]
            if let details { error["error_data"] = ["messaging_product": "whatsapp", "details": details] }
            let data = try JSONSerialization.data(withJSONObject: ["error": error], options: [.sortedKeys])
            return Self.json(status, String(decoding: data, as: UTF8.self))
        case .raw(let status, let body):
            return Self.json(status, body)
        case .hang:
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s in
                    if s.stopped { return true }
                    s.hanging.append(c)
                    return false
                }
                if resumeNow { c.resume() }
            }
            return Self.json(200, #"{"messaging_product":"whatsapp","messages":[{"id":"wamid.TOO_LATE"}]}"#)
        }
    }

    static func json(_ status: Int, _ body: String) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
                 body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Runs `body` with a started fake Graph API, stopping it afterwards.
func withFakeGraphAPI<T>(_ body: (FakeGraphAPI) async throws -> T) async throws -> T {
    let fake = try await FakeGraphAPI.start()
    do {
        let result = try await body(fake)
        await fake.stop()
        return result
    } catch {
        await fake.stop()
        throw error
    }
}
