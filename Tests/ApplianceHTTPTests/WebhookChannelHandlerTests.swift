import ApplianceDomain
@testable import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Synchronization
import Testing

/// `WebhookChannelHandler` in a channel of its own (NIO's thread-safe testing channel) over a
/// real application: what it takes and answers itself, what it hands to the router (the parts
/// reaching the channel's end, where Hummingbird's request task would read them), and that the
/// order of requests and events on a connection is kept while it answers.
@Suite("Webhooks answered on the event loop")
struct WebhookChannelHandlerTests {
    /// Records what reaches the router's side of the pipeline, parts and events in one list.
    final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = HTTPRequestPart
        let seen = Mutex<[String]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let line = switch unwrapInboundIn(data) {
            case .head(let head): "head \(head.method.rawValue) \(head.path ?? "")"
            case .body(let bytes): "body \(bytes.readableBytes)"
            case .end: "end"
            }
            seen.withLock { $0.append(line) }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            let line = event is ChannelShouldQuiesceEvent ? "quiesce" : "event \(type(of: event))"
            seen.withLock { $0.append(line) }
        }

        var lines: [String] { seen.withLock { $0 } }
    }

    /// Counts the read requests that reach the socket's side of the pipeline.
    final class ReadCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = Any
        let count = Atomic<Int>(0)

        func read(context: ChannelHandlerContext) {
            count.add(1, ordering: .relaxed)
            context.read()
        }
    }

    struct Unexpected: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    struct Rig {
        let app: TestApp
        let merchant: Session
        let channel: NIOAsyncTestingChannel
        let recorder: Recorder
        let reads: ReadCounter

        /// A signed `orders/create` delivery of order `id` (head, body, end).
        func delivery(_ id: UInt64, secret: String? = nil, extra: HTTPFields = [:], path: String? = nil) -> [HTTPRequestPart] {
            let body = ShopifyOrder(id: id).bytes
            var fields: HTTPFields = [.contentType: "application/json", .contentLength: String(body.count)]
            fields[HTTPField.Name("X-Shopify-Hmac-Sha256")!] = ShopifySignature.sign(body: body, secret: secret ?? merchant.secret)
            fields[HTTPField.Name("X-Shopify-Webhook-Id")!] = "delivery-\(id)"
            fields.append(contentsOf: extra)
            let head = HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1",
                                   path: path ?? "/api/v1/webhooks/\(merchant.id)/orders/create", headerFields: fields)
            return [.head(head), .body(ByteBuffer(bytes: body)), .end(nil)]
        }

        func send(_ parts: [HTTPRequestPart]) async throws {
            for part in parts { try await channel.writeInbound(part) }
        }

        /// The next answer written by the handler: status, headers and body text.
        func answer() async throws -> (HTTPResponse, String) {
            guard case .head(let head) = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) else {
                throw Unexpected("the answer did not start with its head")
            }
            var text = ""
            while true {
                switch try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) {
                case .body(let bytes): text += String(buffer: bytes)
                case .end: return (head, text)
                case .head: throw Unexpected("a second head inside one answer")
                }
            }
        }

        /// The router's answer to the request it was handed (what Hummingbird's task would write).
        func routerAnswers() async throws {
            try await channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
            try await channel.writeOutbound(HTTPResponsePart.end(nil))
            for _ in 0..<2 { _ = try await channel.waitForOutboundWrite(as: HTTPResponsePart.self) }
        }

        func storedIDs() async throws -> [String] {
            try await app.test(.router) { client in try await client.orderIDs(merchant) }.sorted()
        }
    }

    /// A merchant with a secret, and the handler in a connected testing channel before a recorder.
    static func withRig(fs: HeldSyncFileSystem? = nil, _ body: (Rig) async throws -> Void) async throws {
        try await withDataDirectory { root in
            let app = try await TestApp.open(root: root, fs: fs)
            do {
                let merchant = try await app.test(.router) { client in try await client.merchant("loop@example.com") }
                let recorder = Recorder()
                let reads = ReadCounter()
                let handler = WebhookChannelHandler(ingest: app.services.ingest, registry: app.registry,
                                                    maxBodyBytes: app.options.maxWebhookBytes, logger: app.logger)
                let channel = NIOAsyncTestingChannel()
                try await channel.pipeline.addHandlers([reads, handler, recorder])
                try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 8000))
                try await body(Rig(app: app, merchant: merchant, channel: channel, recorder: recorder, reads: reads))
                _ = try? await channel.finish()
            } catch {
                await app.shutdown()
                throw error
            }
            await app.shutdown()
        }
    }

    @Test func aSignedOrderIsAnsweredHereOnceStored() async throws {
        try await Self.withRig { rig in
            try await rig.send(rig.delivery(1, extra: [HTTPField.Name("X-Request-Id")!: "from-the-proxy-1"]))
            let (head, text) = try await rig.answer()
            #expect(head.status == .ok)
            #expect(text == #"{"status":"accepted"}"#)
            // The router's headers: the JSON type, the length, the proxy's request id, the date.
            #expect(head.headerFields[.contentType] == "application/json; charset=utf-8")
            #expect(head.headerFields[.contentLength] == String(text.utf8.count))
            #expect(head.headerFields[HTTPField.Name("X-Request-Id")!] == "from-the-proxy-1")
            #expect(head.headerFields[.date]?.hasSuffix(" GMT") == true)
            // Nothing reached the router, and the order is stored.
            #expect(rig.recorder.lines.isEmpty)
            #expect(try await rig.storedIDs() == ["1"])
        }
    }

    @Test func whatItDeclinesReachesTheRouterAsItArrived() async throws {
        try await Self.withRig { rig in
            // A bad signature: gathered, declined, handed on whole (the router answers 401).
            try await rig.send(rig.delivery(2, secret: "not-the-secret"))
            let body = ShopifyOrder(id: 2).bytes.count
            let path = "/api/v1/webhooks/\(rig.merchant.id)/orders/create"
            #expect(rig.recorder.lines == ["head POST \(path)", "body \(body)", "end"])
            try await rig.routerAnswers()
            // An unknown tenant, a query string, an unknown topic and a fulfillment go on at once
            // (the last after gathering: its body is read by another decoder).
            let others = ["/api/v1/webhooks/999999/orders/create", path + "?x=1", "/api/v1/webhooks/\(rig.merchant.id)/orders/paid",
                          "/api/v1/webhooks/\(rig.merchant.id)/fulfillments/create"]
            for (n, other) in zip(UInt64(3)..., others) {
                try await rig.send(rig.delivery(3 + n, path: other))
                #expect(rig.recorder.lines.suffix(3) == ["head POST \(other)", "body \(ShopifyOrder(id: 3 + n).bytes.count)", "end"])
                try await rig.routerAnswers()
            }
            #expect(try await rig.storedIDs().isEmpty)
        }
    }

    @Test func whileTheRouterOwesAnAnswerTheNextDeliveryGoesToTheRouterToo() async throws {
        try await Self.withRig { rig in
            let health = HTTPRequest(method: .get, scheme: nil, authority: "127.0.0.1", path: "/healthz")
            try await rig.send([.head(health), .end(nil)])
            try await rig.send(rig.delivery(5))
            // Answering it here could overtake the router's answer to /healthz.
            #expect(rig.recorder.lines.filter { $0.hasPrefix("head") } == ["head GET /healthz", "head POST /api/v1/webhooks/\(rig.merchant.id)/orders/create"])
            // The router answers both; the next delivery is taken here again.
            for _ in 0..<2 {
                try await rig.channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
                try await rig.channel.writeOutbound(HTTPResponsePart.end(nil))
            }
            for _ in 0..<4 { _ = try await rig.channel.waitForOutboundWrite(as: HTTPResponsePart.self) }
            let before = rig.recorder.lines.count
            try await rig.send(rig.delivery(6))
            let (head, _) = try await rig.answer()
            #expect(head.status == .ok)
            #expect(rig.recorder.lines.count == before)
        }
    }

    @Test func whatArrivesWhileItAnswersWaitsAndKeepsItsOrder() async throws {
        let fs = HeldSyncFileSystem()
        try await Self.withRig(fs: fs) { rig in
            fs.hold()
            var held = fs.syncsHeld.makeAsyncIterator()
            try await rig.send(rig.delivery(7))
            // The event: the delivery's journal sync has started and is blocked.
            _ = await held.next()
            // Pipelined behind it: a GET, then a graceful-shutdown notice and a read request.
            let health = HTTPRequest(method: .get, scheme: nil, authority: "127.0.0.1", path: "/healthz")
            try await rig.send([.head(health), .end(nil)])
            rig.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            let readsBefore = rig.reads.count.load(ordering: .relaxed)
            try await rig.channel.eventLoop.submit { rig.channel.read() }.get()
            #expect(rig.recorder.lines.isEmpty, "\(rig.recorder.lines)")
            #expect(rig.reads.count.load(ordering: .relaxed) == readsBefore, "reading from the socket goes on while an answer is owed")
            fs.release()
            let (head, _) = try await rig.answer()
            #expect(head.status == .ok)
            // Replayed right after the answer, in the order they came.
            try await rig.channel.eventLoop.submit {}.get()
            #expect(rig.recorder.lines == ["head GET /healthz", "end", "quiesce"])
            #expect(rig.reads.count.load(ordering: .relaxed) == readsBefore + 1, "the held read request is made after the answer")
        }
    }

    @Test func aBodyGrowingPastTheLimitGoesToTheRouter() async throws {
        try await Self.withRig { rig in
            let limit = rig.app.options.maxWebhookBytes
            // Chunked: no Content-Length to refuse it by, so it is found out while gathering.
            var fields: HTTPFields = [.contentType: "application/json", .transferEncoding: "chunked"]
            fields[HTTPField.Name("X-Shopify-Hmac-Sha256")!] = "c2lnbmF0dXJl"
            let head = HTTPRequest(method: .post, scheme: nil, authority: "127.0.0.1",
                                   path: "/api/v1/webhooks/\(rig.merchant.id)/orders/create", headerFields: fields)
            let chunk = ByteBuffer(repeating: UInt8(ascii: " "), count: limit / 2 + 1)
            try await rig.send([.head(head), .body(chunk), .body(chunk), .body(chunk), .end(nil)])
            let half = limit / 2 + 1
            #expect(rig.recorder.lines == ["head POST \(head.path!)", "body \(half)", "body \(half)", "body \(half)", "end"])
        }
    }

    @Test func connectionCloseClosesAfterTheAnswer() async throws {
        try await Self.withRig { rig in
            try await rig.send(rig.delivery(8, extra: [.connection: "close"]))
            let (head, _) = try await rig.answer()
            #expect(head.status == .ok)
            // The event: the channel's close.
            try await rig.channel.closeFuture.get()
            #expect(try await rig.storedIDs() == ["8"])
        }
    }

    @Test func requestIDsAreDistinctAndShapedLikeHummingbirds() {
        let ids = RequestIDs()
        let made = (0..<1000).map { _ in ids.next() }
        #expect(Set(made).count == 1000)
        #expect(made.allSatisfy { id in id.utf8.count == 32 && id.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } })
        // One process prefix, then a counter.
        #expect(Set(made.map { $0.prefix(16) }).count == 1)
        #expect(RequestIDs.hexDigits(0x0123_4567_89AB_CDEF) == "0123456789abcdef")
    }

    /// On a live server: pipelined requests, some answered on the event loop and some by the
    /// router, come back in the order they were sent, each with its own answer.
    @Test func pipelinedRequestsOnALiveServerAreAnsweredInOrder() async throws {
        try await withLiveClient { _, client in
            let s = try await client.merchant("pipelined@example.com")
            let port = try #require(client.port)
            func delivery(_ id: UInt64, secret: String, last: Bool = false) -> String {
                let body = String(decoding: ShopifyOrder(id: id).bytes, as: UTF8.self)
                let signature = ShopifySignature.sign(body: Array(body.utf8), secret: secret)
                return "POST /api/v1/webhooks/\(s.id)/orders/create HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-Shopify-Hmac-Sha256: \(signature)\r\n"
                    + "X-Shopify-Webhook-Id: pipelined-\(id)\r\nContent-Length: \(body.utf8.count)\r\n"
                    + (last ? "Connection: close\r\n" : "") + "\r\n" + body
            }
            let requests = delivery(1, secret: s.secret) + "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
                + delivery(2, secret: "not-the-secret") + delivery(3, secret: s.secret, last: true)
            let answers = try await rawHTTP(port: port, requests, untilClosed: true)
            // Each answer: its status line, then its body after the blank line.
            let each = answers.components(separatedBy: "HTTP/1.1 ").dropFirst()
            #expect(each.map { $0.prefix(3) } == ["200", "200", "401", "200"], "\(answers)")
            let bodies = each.map { $0.components(separatedBy: "\r\n\r\n").dropFirst().joined() }
            #expect(bodies.count == 4)
            #expect(bodies.first?.contains("accepted") == true)
            #expect(bodies.dropFirst().first?.contains(#""status":"ok""#) == true)
            #expect(bodies.dropFirst(2).first?.contains("bad_signature") == true)
            #expect(bodies.last?.contains("accepted") == true)
            #expect(try await client.orderIDs(s).sorted() == ["1", "3"])
        }
    }
}
