import NIOCore
import NIOHTTP1

/// The connection timeouts (CONTRACT "Sign-up, limits and abuse"): a request's head and body must
/// arrive within `request` of its first byte (`--request-timeout`), and a connection with no
/// request in progress is closed after `idle` without a byte either way (`--idle-timeout`), a new
/// one that sends nothing included. So a client that trickles headers, or a body that never
/// completes, holds no connection, memory or file descriptor beyond them.
///
/// One handler (``FirstByte``) sits before the HTTP decoder, where it sees bytes only: a request's
/// first byte starts the request clock; the server's first byte of an answer stops it (the
/// request is then whole, or refused) and every byte written restarts the idle clock. When a
/// clock runs out the connection is closed. Once the connection is a WebSocket (no HTTP decoder
/// left in the pipeline) the handler steps out: the socket's own pings take over.
final class RequestDeadline {
    let request: TimeAmount
    let idle: TimeAmount
    /// One check scheduled at a time; events mostly only move timestamps (a request's start, due
    /// sooner than the idle check, moves the check forward).
    var check: Scheduled<Void>?
    var requestStarted = NIODeadline.now()
    var lastActivity = NIODeadline.now()
    var inRequest = false
    var off = false

    init(request: TimeAmount, idle: TimeAmount) {
        self.request = request
        self.idle = idle
    }

    /// When the connection is to be closed if nothing changes.
    var due: NIODeadline { inRequest ? requestStarted + request : lastActivity + idle }

    func startRequest(_ context: ChannelHandlerContext) {
        guard !inRequest, !off else { return }
        inRequest = true
        requestStarted = .now()
        schedule(context)
    }

    func finishRequest(_ context: ChannelHandlerContext) {
        inRequest = false
        armIdle(context)
    }

    func armIdle(_ context: ChannelHandlerContext) {
        guard !off else { return }
        lastActivity = .now()
        schedule(context)
    }

    /// Makes sure a check runs no later than ``due``.
    func schedule(_ context: ChannelHandlerContext) {
        rearm(channel: context.channel, loop: context.eventLoop)
    }

    var checkAt = NIODeadline.distantFuture

    func rearm(channel: any Channel, loop: any EventLoop) {
        guard !off else { return }
        let due = self.due
        if check != nil {
            if checkAt <= due { return }
            check?.cancel()
        }
        checkAt = due
        check = loop.scheduleTask(deadline: due) { [self] in
            check = nil
            guard !off else { return }
            // Activity since the check was set moved the due time: look again then.
            if NIODeadline.now() >= self.due { channel.close(promise: nil) } else { rearm(channel: channel, loop: loop) }
        }
    }

    func stop() {
        off = true
        check?.cancel()
        check = nil
    }

    /// Before the HTTP decoder: bytes in start the request clock, bytes out stop it and restart
    /// the idle one.
    final class FirstByte: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundIn = IOData
        let deadline: RequestDeadline
        init(_ deadline: RequestDeadline) { self.deadline = deadline }

        func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { deadline.armIdle(context) }
        }

        func channelActive(context: ChannelHandlerContext) {
            deadline.armIdle(context)
            context.fireChannelActive()
        }

        /// A `101 Switching Protocols` went out: from then on each event checks whether the
        /// upgrade took place (the pipeline lookup is too dear to make on every request).
        var switching = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !deadline.inRequest, !deadline.off {
                if switching, isWebSocket(context) {
                    stepOut(context)
                } else {
                    deadline.startRequest(context)
                }
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if !switching, case .byteBuffer(let bytes) = unwrapOutboundIn(data), Self.isSwitchingProtocols(bytes) {
                switching = true
            }
            context.write(data, promise: promise)
            guard !deadline.off else { return }
            if switching, isWebSocket(context) { stepOut(context) } else { deadline.finishRequest(context) }
        }

        static let switchingProtocols = Array("HTTP/1.1 101".utf8)

        /// Whether `bytes` begin a `101 Switching Protocols` response head.
        static func isSwitchingProtocols(_ bytes: ByteBuffer) -> Bool {
            bytes.readableBytes >= switchingProtocols.count
                && bytes.withUnsafeReadableBytes { $0.prefix(switchingProtocols.count).elementsEqual(switchingProtocols) }
        }

        /// No HTTP decoder any more: the connection became a WebSocket, which has no requests.
        func isWebSocket(_ context: ChannelHandlerContext) -> Bool {
            (try? context.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)) == nil
        }

        func stepOut(_ context: ChannelHandlerContext) {
            deadline.stop()
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }

        func handlerRemoved(context: ChannelHandlerContext) { deadline.stop() }

        func channelInactive(context: ChannelHandlerContext) {
            deadline.stop()
            context.fireChannelInactive()
        }
    }
}
