import NIOCore
import NIOPosix
import Synchronization

/// Where a connection takes its next request from; nil ends the phase for that connection.
protocol RequestSource: Sendable {
    func next() -> ByteBuffer?
}

/// A fixed pool of distinct pre-built requests, each handed out once.
final class RequestPool: RequestSource {
    let requests: [ByteBuffer]
    let index = Atomic<Int>(0)
    init(_ requests: [ByteBuffer]) { self.requests = requests }
    func next() -> ByteBuffer? {
        let i = index.wrappingAdd(1, ordering: .relaxed).oldValue
        return i < requests.count ? requests[i] : nil
    }
    var handedOut: Int { min(index.load(ordering: .relaxed), requests.count) }
}

/// Pre-built requests handed out round and round (for a server that keeps no state, like
/// ``LimitServer``, a repeat costs it exactly what a new delivery costs).
final class CyclingPool: RequestSource {
    let requests: ArraySlice<ByteBuffer>
    let index = Atomic<Int>(0)
    init(_ requests: ArraySlice<ByteBuffer>) { self.requests = requests }
    func next() -> ByteBuffer? {
        let i = index.wrappingAdd(1, ordering: .relaxed).oldValue
        return requests[requests.startIndex + i % requests.count]
    }
}

/// The same request over and over (`GET /healthz`).
final class RepeatedRequest: RequestSource {
    let request: ByteBuffer
    init(_ request: ByteBuffer) { self.request = request }
    func next() -> ByteBuffer? { request }
}

/// What one connection saw during one phase.
struct PhaseTally: Sendable {
    var latencies: [UInt64] = []
    var statuses: [Int: Int] = [:]
    var ok = 0
    var errors: [String] = []
    var lastCompletion: UInt64 = 0
}

/// A closed-loop HTTP/1.1 keep-alive connection: sends a request, waits for the complete
/// response (status line, headers, `Content-Length` body), records the latency, sends the next.
/// All state is touched on the channel's event loop only.
final class LoadHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var context: ChannelHandlerContext?
    private var cumulation: ByteBuffer?
    private var source: (any RequestSource)?
    private var deadline = NIODeadline.distantPast
    private var promise: EventLoopPromise<PhaseTally>?
    private var tally = PhaseTally()
    private var sentAt: UInt64 = 0
    private var inFlight = false

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    /// Starts a phase (call on the event loop); the future completes when the phase ends here.
    func start(source: any RequestSource, until deadline: NIODeadline, expectedRequests: Int) -> EventLoopFuture<PhaseTally> {
        let context = self.context!
        let promise = context.eventLoop.makePromise(of: PhaseTally.self)
        self.promise = promise
        self.source = source
        self.deadline = deadline
        self.tally = PhaseTally()
        tally.latencies.reserveCapacity(expectedRequests)
        sendNext()
        return promise.futureResult
    }

    private func sendNext() {
        guard let context, let source else { return }
        guard NIODeadline.now() < deadline, let request = source.next() else {
            finish()
            return
        }
        sentAt = DispatchTimeNanos.now()
        inFlight = true
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    private func finish() {
        source = nil
        let p = promise
        promise = nil
        p?.succeed(tally)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if cumulation == nil {
            cumulation = incoming
        } else {
            cumulation!.writeBuffer(&incoming)
        }
        while inFlight, let (status, length) = parseResponse() {
            cumulation!.moveReaderIndex(forwardBy: length)
            inFlight = false
            let now = DispatchTimeNanos.now()
            tally.latencies.append(now - sentAt)
            tally.lastCompletion = now
            tally.statuses[status, default: 0] += 1
            if (200..<300).contains(status) { tally.ok += 1 }
            if cumulation!.readableBytes == 0 { cumulation = nil } else { cumulation!.discardReadBytes() }
            sendNext()
        }
    }

    /// The status and total length of a complete response at the front of the buffer.
    private func parseResponse() -> (Int, Int)? {
        guard let buffer = cumulation else { return nil }
        let view = buffer.readableBytesView
        guard view.count >= 16 else { return nil }
        var headerEnd = -1
        var i = view.startIndex
        let end = view.endIndex - 3
        while i < end {
            if view[i] == 13, view[i + 1] == 10, view[i + 2] == 13, view[i + 3] == 10 { headerEnd = i - view.startIndex; break }
            i += 1
        }
        guard headerEnd >= 0 else { return nil }
        let base = view.startIndex
        let status = Int(view[base + 9] - 48) * 100 + Int(view[base + 10] - 48) * 10 + Int(view[base + 11] - 48)
        // Content-Length, case-insensitively.
        var length = 0
        var lineStart = base
        let headerLimit = base + headerEnd
        while lineStart < headerLimit {
            var lineEnd = lineStart
            while lineEnd < headerLimit, view[lineEnd] != 13 { lineEnd += 1 }
            if lineEnd - lineStart > 15, (view[lineStart] | 0x20) == UInt8(ascii: "c"), (view[lineStart + 8] | 0x20) == UInt8(ascii: "l"),
               view[lineStart + 14] == UInt8(ascii: ":") {
                var j = lineStart + 15
                while j < lineEnd, view[j] == 32 { j += 1 }
                var value = 0
                while j < lineEnd, view[j] >= 48, view[j] <= 57 { value = value * 10 + Int(view[j] - 48); j += 1 }
                length = value
            }
            lineStart = lineEnd + 2
        }
        let total = headerEnd + 4 + length
        return view.count >= total ? (status, total) : nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        if promise != nil {
            tally.errors.append("connection closed")
            finish()
        }
        self.context = nil
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        tally.errors.append("\(error)")
        context.close(promise: nil)
    }
}

enum DispatchTimeNanos {
    static func now() -> UInt64 { UInt64(NIODeadline.now().uptimeNanoseconds) }
}

/// A set of keep-alive connections on one client event loop.
final class LoadClient: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channels: [any Channel]
    let handlers: [LoadHandler]

    static func connect(port: Int, connections: Int, threads: Int = 1) async throws -> LoadClient {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        var channels: [any Channel] = []
        var handlers: [LoadHandler] = []
        for _ in 0..<connections {
            let handler = LoadHandler()
            let channel = try await ClientBootstrap(group: group)
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(handler) }
                }
                .connect(host: "127.0.0.1", port: port).get()
            channels.append(channel)
            handlers.append(handler)
        }
        return LoadClient(group: group, channels: channels, handlers: handlers)
    }

    private init(group: MultiThreadedEventLoopGroup, channels: [any Channel], handlers: [LoadHandler]) {
        self.group = group
        self.channels = channels
        self.handlers = handlers
    }

    /// Runs one phase on every connection until `seconds` have passed or the source runs dry.
    /// Returns the merged tally and the elapsed time until the last response.
    func run(source: any RequestSource, seconds: Double, expectedPerConnection: Int) async throws -> (PhaseTally, Double) {
        let start = DispatchTimeNanos.now()
        let deadline = NIODeadline.now() + .nanoseconds(Int64(seconds * 1e9))
        var futures: [EventLoopFuture<PhaseTally>] = []
        for (channel, handler) in zip(channels, handlers) {
            futures.append(channel.eventLoop.flatSubmit {
                handler.start(source: source, until: deadline, expectedRequests: expectedPerConnection)
            })
        }
        var merged = PhaseTally()
        for f in futures {
            let t = try await f.get()
            merged.latencies.append(contentsOf: t.latencies)
            merged.ok += t.ok
            merged.errors.append(contentsOf: t.errors)
            for (k, v) in t.statuses { merged.statuses[k, default: 0] += v }
            merged.lastCompletion = max(merged.lastCompletion, t.lastCompletion)
        }
        let elapsed = Double(max(merged.lastCompletion, start) - start) / 1e9
        return (merged, elapsed)
    }

    func close() async {
        for c in channels { try? await c.close() }
        try? await group.shutdownGracefully()
    }
}
