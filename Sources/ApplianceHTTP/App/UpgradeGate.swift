import ApplianceDomain
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1

extension ApplianceApplication {
    /// HTTP/1 with the WebSocket upgrade, behind a gate that refuses a handshake with a bad
    /// token as a plain request (so the router answers 401, not the library's bare 400), and
    /// with the common Shopify delivery answered on the event loop (``WebhookChannelHandler``).
    static func webSocketServer(services: ApplianceServices, options: ServerOptions, logger: Logger) -> HTTPServerBuilder {
        let webSocketResponder = buildWebSocketRouter(services: services).buildResponder()
        let feed = LiveFeedController(services: services)
        return HTTPServerBuilder { responder in
            GatedWebSocketChannel(
                inner: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: webSocketResponder,
                    configuration: .init(
                        http1: .init(additionalChannelHandlers: [
                            WebhookChannelHandler(ingest: services.ingest, registry: services.registry,
                                                  maxBodyBytes: options.maxWebhookBytes, logger: logger),
                        ]),
                        ws: .init(maxFrameSize: 1 << 16, autoPing: .enabled(timePeriod: .seconds(25))))),
                requestTimeout: .seconds(Int64(options.requestTimeoutSeconds)), idleTimeout: .seconds(Int64(options.idleTimeoutSeconds)),
                allowsUpgrade: { uri, authorization in await feed.allowsUpgrade(uri: uri, authorization: authorization) })
        }
    }
}

extension LiveFeedController {
    /// Whether a WebSocket handshake for `uri` may be upgraded: any path but `/ws/orders` is
    /// left to the WebSocket router; `/ws/orders` needs a valid token.
    func allowsUpgrade(uri: String, authorization: String?) async -> Bool {
        let uri = URI(uri)
        guard uri.path == "/ws/orders" else { return true }
        var bearer: String?
        if let authorization {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" { bearer = parts[1].trimmingCharacters(in: .whitespaces) }
        }
        guard let token = uri.queryParameters["token"].map(String.init) ?? bearer else { return false }
        return (try? await services.accounts.authenticate(token: token)) != nil
    }
}

/// The HTTP/1 + WebSocket child channel, with a gate in front of NIO's upgrader: a handshake the
/// gate refuses (a missing, bad or expired token) loses its `Upgrade` header and reaches the
/// HTTP router as a plain `GET`, which answers 401 with the JSON error. Without the gate,
/// hummingbird-websocket answers every refused upgrade with a bare `400 Bad Request`, while the
/// CONTRACT wants `/ws/orders` refused "with HTTP 401 before the upgrade".
struct GatedWebSocketChannel: ServerChildChannel {
    typealias Value = HTTP1WebSocketUpgradeChannel.Value

    let inner: HTTP1WebSocketUpgradeChannel
    /// How long a request's head and body may take from its first byte.
    let requestTimeout: TimeAmount
    /// How long a connection with no request in progress stays open without a byte.
    let idleTimeout: TimeAmount
    /// Whether a handshake for `uri` (with this `Authorization` header) may go on to the upgrade.
    let allowsUpgrade: @Sendable (_ uri: String, _ authorization: String?) async -> Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let sync = channel.pipeline.syncOperations
            let upgrader = try sync.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
            let deadline = RequestDeadline(request: requestTimeout, idle: idleTimeout)
            try sync.addHandler(RequestDeadline.FirstByte(deadline), position: .first)
            try sync.addHandler(UpgradeGate(allowsUpgrade: allowsUpgrade), position: .before(upgrader))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Holds the first request of a connection while the gate decides on a WebSocket handshake,
/// then passes it on (stripped of its upgrade headers when refused) and leaves the pipeline.
final class UpgradeGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    enum State { case waitingForHead, checking, passing, removed }

    let allowsUpgrade: @Sendable (String, String?) async -> Bool
    var state = State.waitingForHead
    var held: [HTTPServerRequestPart] = []
    var heldReadComplete = false

    init(allowsUpgrade: @escaping @Sendable (String, String?) async -> Bool) {
        self.allowsUpgrade = allowsUpgrade
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .passing, .removed:
            context.fireChannelRead(data)
        case .checking:
            held.append(unwrapInboundIn(data))
        case .waitingForHead:
            let part = unwrapInboundIn(data)
            guard case .head(let head) = part, Self.isWebSocketHandshake(head) else {
                pass(context: context, [part])
                return
            }
            state = .checking
            held = [part]
            let check = allowsUpgrade
            let uri = head.uri
            let authorization = head.headers.first(name: "authorization")
            let promise = context.eventLoop.makePromise(of: Bool.self)
            promise.completeWithTask { await check(uri, authorization) }
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            promise.futureResult.whenComplete { result in
                let (gate, context) = bound.value
                gate.decided(context: context, allowed: (try? result.get()) ?? false)
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if state == .checking { heldReadComplete = true } else { context.fireChannelReadComplete() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        state = .removed
    }

    func decided(context: ChannelHandlerContext, allowed: Bool) {
        guard state == .checking else { return }
        var parts = held
        held = []
        if !allowed, case .head(var head) = parts.first {
            head.headers.remove(name: "upgrade")
            let connection = head.headers[canonicalForm: "connection"].filter { $0.lowercased() != "upgrade" }
            head.headers.remove(name: "connection")
            if !connection.isEmpty { head.headers.add(name: "connection", value: connection.joined(separator: ", ")) }
            parts[0] = .head(head)
        }
        pass(context: context, parts)
    }

    /// Sends `parts` on and steps out of the way for the rest of the connection.
    func pass(context: ChannelHandlerContext, _ parts: [HTTPServerRequestPart]) {
        state = .passing
        for part in parts { context.fireChannelRead(wrapInboundOut(part)) }
        if heldReadComplete {
            heldReadComplete = false
            context.fireChannelReadComplete()
        }
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    static func isWebSocketHandshake(_ head: HTTPRequestHead) -> Bool {
        head.method == .GET
            && head.headers[canonicalForm: "upgrade"].contains { $0.lowercased() == "websocket" }
            && head.headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }
}
