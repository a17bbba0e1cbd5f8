import ApplianceDomain
import Dispatch
import Hummingbird
import Logging
import NIOCore
import NIOHTTPTypes

/// Answers the common Shopify delivery (a signed order for a running tenant) on the event loop
/// that read it, in front of Hummingbird's request task: the body is gathered here, checked and
/// parsed by ``WebhookIngest/offer(userID:_:done:)``, and the `200` is written from here once
/// the order is durable. At full ingest the request task's hand-offs (the body through an async
/// stream to a task on another thread, the answer back through an async writer) cost the server
/// about as much CPU per order as parsing the order does.
///
/// Everything else goes to the router unchanged, so its answer, log line and metrics are the
/// router's: other routes; webhook paths this does not take (see ``take(_:)``); and a delivery it
/// gathered but that ``WebhookIngest/offer(userID:_:done:)`` declines (bad signature, rejected
/// body, fulfillment, tenant stopped meanwhile) or that grows past the body limit, which is
/// handed on as it arrived. A delivery taken here is answered as the router would answer it:
/// the same status, body and headers (`X-Request-Id`, `Date`), log line and metrics.
///
/// Order on the connection is kept: a delivery is taken only when no answer from the router is
/// outstanding, and while one is being answered here, what arrives next (a pipelined request, a
/// half-close, a graceful-shutdown notice) waits and is replayed after the answer, and reading
/// from the socket pauses once something waits.
final class WebhookChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// A delivery being gathered.
    struct Gathering {
        let head: HTTPRequest
        /// Its headers, read in one pass.
        let headers: WebhookHeaders
        let route: WebhookPath
        let userID: Int
        let start: UInt64
        var chunks: [ByteBuffer] = []
        var size = 0
    }

    enum State {
        /// Between requests.
        case idle
        /// The current request is the router's: its parts go on.
        case passing
        /// A delivery this handler took, body still arriving.
        case gathering(Gathering)
        /// A delivery waiting for its order to be durable; what arrives meanwhile is held.
        case answering
    }

    let ingest: WebhookIngest
    let registry: TenantRegistry
    let maxBodyBytes: Int
    let logger: Logger

    var state = State.idle
    /// Requests handed to the router whose answer has not ended yet.
    var routerPending = 0
    /// Parts that arrived while a delivery was being answered.
    var held: [HTTPRequestPart] = []
    /// Inbound events (half-close, quiesce) held while a delivery is in progress here.
    var heldEvents: [Any] = []
    var heldReadComplete = false
    var heldRead = false
    var removed = false

    init(ingest: WebhookIngest, registry: TenantRegistry, maxBodyBytes: Int, logger: Logger) {
        self.ingest = ingest
        self.registry = registry
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
    }

    // MARK: Inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        receive(context: context, part: unwrapInboundIn(data))
    }

    func receive(context: ChannelHandlerContext, part: HTTPRequestPart) {
        switch state {
        case .answering:
            held.append(part)
        case .passing:
            if case .end = part { state = .idle }
            context.fireChannelRead(wrapInboundOut(part))
            if case .idle = state { releaseEvents(context: context) }
        case .gathering(var gathering):
            // Out of `state` while it grows, so appending a chunk does not copy the list.
            state = .idle
            switch part {
            case .body(let chunk):
                gathering.size += chunk.readableBytes
                gathering.chunks.append(chunk)
                if gathering.size > maxBodyBytes {
                    // The router answers 413 as it does for any body over the limit.
                    handOn(context: context, gathering, end: nil)
                } else {
                    state = .gathering(gathering)
                }
            case .end(let trailers):
                finish(context: context, gathering, trailers: trailers)
            case .head:
                // Not from a well-behaved decoder; the router says what it makes of it.
                handOn(context: context, gathering, end: nil)
                receive(context: context, part: part)
            }
        case .idle:
            if case .head(let head) = part, let gathering = take(head) {
                state = .gathering(gathering)
                return
            }
            if case .head = part {
                routerPending += 1
                state = .passing
            }
            context.fireChannelRead(wrapInboundOut(part))
        }
    }

    /// The delivery to gather, or nil when `head` goes to the router: anything but a `POST` to
    /// one of the two webhook path shapes (without a query) for a known tenant, with no `Expect`
    /// and no declared body over the limit, or while an answer from the router is outstanding.
    func take(_ head: HTTPRequest) -> Gathering? {
        guard head.method == .post, routerPending == 0, let path = head.path,
              !path.utf8.contains(UInt8(ascii: "?")), let route = WebhookPath(path),
              let userID = DataDirectory.tenantID(folder: route.userID),
              (try? registry.tenant(userID)) != nil
        else { return nil }
        if let topic = route.topic, ShopifyTopic(rawValue: topic) == nil { return nil }
        let headers = WebhookHeaders(head.headerFields)
        guard headers.expect == nil else { return nil }
        if let length = headers.contentLength.flatMap({ Int($0) }), length > maxBodyBytes { return nil }
        return Gathering(head: head, headers: headers, route: route, userID: userID, start: DispatchTime.now().uptimeNanoseconds)
    }

    /// Gives a gathered request to the router as it arrived (`end` included when it came).
    func handOn(context: ChannelHandlerContext, _ gathering: Gathering, end: HTTPRequestPart?) {
        routerPending += 1
        state = end == nil ? .passing : .idle
        context.fireChannelRead(wrapInboundOut(.head(gathering.head)))
        for chunk in gathering.chunks { context.fireChannelRead(wrapInboundOut(.body(chunk))) }
        if let end { context.fireChannelRead(wrapInboundOut(end)) }
        if case .idle = state { releaseEvents(context: context) }
    }

    func finish(context: ChannelHandlerContext, _ gathering: Gathering, trailers: HTTPFields?) {
        let headers = gathering.headers
        let delivery = ShopifyDelivery(
            topic: gathering.route.topic ?? headers.topic, webhookID: headers.webhookID, shopDomain: headers.shopDomain,
            signature: headers.signature, body: Self.bytes(gathering.chunks, count: gathering.size))
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        state = .answering
        let taken = ingest.offer(userID: gathering.userID, delivery) { result in
            eventLoop.execute {
                let (handler, context) = bound.value
                handler.answer(context: context, gathering, result)
            }
        }
        if !taken {
            state = .idle
            handOn(context: context, gathering, end: .end(trailers))
        }
    }

    /// The accepted body's length.
    static let acceptedLength = String(WebhookController.acceptedBody.readableBytes)

    /// Ids for the answers given here, in the shape of Hummingbird's (32 hex digits).
    static let requestIDs = RequestIDs()

    static func bytes(_ chunks: [ByteBuffer], count: Int) -> [UInt8] {
        if chunks.count == 1 { return Array(chunks[0].readableBytesView) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        for chunk in chunks { bytes.append(contentsOf: chunk.readableBytesView) }
        return bytes
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if case .answering = state { heldReadComplete = true } else { context.fireChannelReadComplete() }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch state {
        case .gathering, .answering: heldEvents.append(event)
        case .idle, .passing: context.fireUserInboundEventTriggered(event)
        }
    }

    func releaseEvents(context: ChannelHandlerContext) {
        guard !heldEvents.isEmpty else { return }
        let events = heldEvents
        heldEvents = []
        for event in events { context.fireUserInboundEventTriggered(event) }
    }

    // MARK: Outbound

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), routerPending > 0 { routerPending -= 1 }
        context.write(data, promise: promise)
    }

    /// Reading pauses only once something arrived behind a delivery being answered (a client
    /// that pipelines): a client waiting for its answer sends nothing, and pausing its socket
    /// would cost two `epoll_ctl` calls per delivery for nothing.
    func read(context: ChannelHandlerContext) {
        if case .answering = state, !held.isEmpty { heldRead = true } else { context.read() }
    }

    // MARK: Answer

    /// Writes the answer of a delivery taken here, then replays what arrived meanwhile.
    func answer(context: ChannelHandlerContext, _ gathering: Gathering, _ result: Result<Void, DomainError>) {
        let requestID = gathering.headers.requestID.flatMap(RequestLogMiddleware<AppRequestContext>.sane) ?? Self.requestIDs.next()
        let status: HTTPResponse.Status
        var fields: HTTPFields
        let body: ByteBuffer
        var logger = logger
        switch result {
        case .success:
            // The router's headers for this answer, in its order, made in one go.
            (status, body) = (.ok, WebhookController.acceptedBody)
            fields = HTTPFields([
                HTTPFields.Element(name: .contentType, value: JSONResponse.contentType), HTTPFields.Element(name: .contentLength, value: Self.acceptedLength),
                HTTPFields.Element(name: .requestID, value: requestID), HTTPFields.Element(name: .date, value: HTTPDate.now()),
            ])
            WebhookMetrics.record(.accepted, start: gathering.start)
            // The request's log line is at debug: the id is set only when it may be written.
            if logger.logLevel <= .debug { logger[metadataKey: RequestLogMiddleware<AppRequestContext>.metadataKey] = .string(requestID) }
        case .failure(let error):
            // As ErrorMiddleware and WebhookMetrics.measure do for the router's deliveries.
            let api = APIError(error)
            (status, fields, body) = (api.status, api.responseHeaders, api.body())
            fields[.contentLength] = String(body.readableBytes)
            fields[.requestID] = requestID
            fields[.date] = HTTPDate.now()
            WebhookMetrics.record(WebhookMetrics.outcome(of: error), start: gathering.start)
            logger[metadataKey: RequestLogMiddleware<AppRequestContext>.metadataKey] = .string(requestID)
            if let detail = error.detail {
                logger.error("request failed", metadata: ["code": "\(error.code)", "detail": "\(detail)", "path": "\(gathering.head.path ?? "")"])
            }
        }
        RequestLogMiddleware<AppRequestContext>.log(logger, method: .post, status: status.code, start: gathering.start) {
            gathering.head.path ?? ""
        }
        guard !removed else { return }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        if gathering.headers.connection == "close" {
            // As the router's connection loop does after a request that asked for it.
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
        } else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        state = .idle
        resume(context: context)
    }

    /// Replays what was held while a delivery was answered, until another one is taken.
    func resume(context: ChannelHandlerContext) {
        while !held.isEmpty {
            if case .answering = state { return }
            receive(context: context, part: held.removeFirst())
        }
        if case .answering = state { return }
        switch state {
        case .idle, .passing: releaseEvents(context: context)
        default: break
        }
        if heldReadComplete {
            heldReadComplete = false
            context.fireChannelReadComplete()
        }
        if heldRead {
            heldRead = false
            context.read()
        }
    }
}
