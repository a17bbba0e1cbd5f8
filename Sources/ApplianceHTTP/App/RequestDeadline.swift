import NIOCore
import NIOHTTP1

/// The connection timeouts (CONTRACT "Sign-up, limits and abuse"): a request's head and body must
/// arrive within `request` of its first byte (`--request-timeout`), and a connection with no
/// request in progress is closed after `idle` without a byte either way (`--idle-timeout`), a new
/// one that sends nothing included. So a client that trickles headers, or a body that never
/// completes, holds no connection, memory or file descriptor beyond them.
///
/// Two handlers of one connection share this state: ``FirstByte`` sits before the HTTP decoder,
/// starts the request clock on a request's first byte and restarts the idle clock on every byte
/// written; ``RequestEnd`` sits after the decoder and stops the request clock when the request's
/// end is decoded. When a clock runs out the connection is closed. After a WebSocket upgrade (no
/// HTTP decoder left in the pipeline) both clocks are off: the socket's own pings take over.
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

    /// Before the HTTP decoder: bytes in start the request clock, bytes out restart the idle one.
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

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !deadline.inRequest, !deadline.off {
                if (try? context.pipeline.syncOperations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)) == nil {
                    // The connection became a WebSocket, which has no requests.
                    deadline.stop()
                    context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
                } else {
                    deadline.startRequest(context)
                }
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            if !deadline.inRequest { deadline.armIdle(context) }
            context.write(data, promise: promise)
        }

        func handlerRemoved(context: ChannelHandlerContext) { deadline.stop() }

        func channelInactive(context: ChannelHandlerContext) {
            deadline.stop()
            context.fireChannelInactive()
        }
    }

    /// After the HTTP decoder: the request's end stops the request clock.
    final class RequestEnd: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        let deadline: RequestDeadline
        init(_ deadline: RequestDeadline) { self.deadline = deadline }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .end = unwrapInboundIn(data) { deadline.finishRequest(context) }
            context.fireChannelRead(data)
        }
    }
}
