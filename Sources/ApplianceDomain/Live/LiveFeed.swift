import CoreMetrics
import DequeModule
import Synchronization

/// Per-tenant fan-out of order changes to connected dashboards.
///
/// The tenant stages each change in journal order (``stage(_:)``); the request that made it
/// durable releases it (``release(tenantID:upTo:)``), so dashboards see only durable changes,
/// in order. Each event is rendered once for all subscribers, outside the feed's lock (the
/// renderer is HTTP code, and other tenants' requests or a concurrent release need not wait
/// for it); frames rendered by concurrent releases are delivered in journal order. A subscriber
/// whose buffer is full is cut off (its stream ends with ``Subscription/overflowed`` set)
/// instead of slowing ingest.
public final class LiveFeed: Sendable {
    /// Renders an event as the text frame sent to dashboards.
    public typealias Renderer = @Sendable (LiveEvent) -> String

    /// One connected dashboard.
    public final class Subscription: Sendable {
        public let id: UInt64
        public let tenantID: Int
        /// The frames to send, in order.
        public let frames: AsyncStream<String>
        let continuation: AsyncStream<String>.Continuation
        let overflow = Atomic<Bool>(false)

        init(id: UInt64, tenantID: Int, bufferSize: Int) {
            self.id = id
            self.tenantID = tenantID
            (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(bufferSize))
        }

        /// Whether the subscriber fell behind and was cut off.
        public var overflowed: Bool { overflow.load(ordering: .acquiring) }
    }

    final class Channel: Sendable {
        struct State {
            var subscribers: [UInt64: Subscription] = [:]
            var staged: Deque<LiveEvent> = []
            /// Tickets of released events being rendered, in journal order.
            var rendering: Deque<UInt64> = []
            /// Rendered frames waiting for the tickets before them.
            var rendered: [UInt64: String] = [:]
            var nextTicket: UInt64 = 0
        }
        let state = Mutex(State())
    }

    let render: Renderer
    /// Renders a WhatsApp status change as a frame.
    let renderStatus: @Sendable (Int, WhatsAppStatus) -> String
    let bufferSize: Int
    let channels = Mutex<[Int: Channel]>([:])
    let nextID = Atomic<UInt64>(1)
    let clientCount = Atomic<Int>(0)

    /// - Parameters:
    ///   - bufferSize: frames a subscriber may have unsent before it is cut off.
    public init(bufferSize: Int = 1024, render: @escaping Renderer,
                renderStatus: @escaping @Sendable (Int, WhatsAppStatus) -> String = { _, s in "{\"type\":\"whatsapp.status\",\"state\":\"\(s.state.rawValue)\"}" }) {
        self.bufferSize = bufferSize
        self.render = render
        self.renderStatus = renderStatus
    }

    /// Sends a `whatsapp.status` frame to every dashboard of `tenantID`.
    public func broadcastStatus(tenantID: Int, _ status: WhatsAppStatus) {
        broadcast(tenantID: tenantID, frame: renderStatus(tenantID, status))
    }

    func channel(_ tenantID: Int) -> Channel {
        channels.withLock { c in
            if let existing = c[tenantID] { return existing }
            let channel = Channel()
            c[tenantID] = channel
            return channel
        }
    }

    /// Adds a dashboard of `tenantID`.
    public func subscribe(tenantID: Int) -> Subscription {
        let sub = Subscription(id: nextID.wrappingAdd(1, ordering: .relaxed).oldValue, tenantID: tenantID, bufferSize: bufferSize)
        channel(tenantID).state.withLock { $0.subscribers[sub.id] = sub }
        DomainMetrics.liveClients.record(clientCount.wrappingAdd(1, ordering: .relaxed).newValue)
        return sub
    }

    /// Removes a dashboard.
    public func unsubscribe(_ sub: Subscription) {
        let removed = channel(sub.tenantID).state.withLock { $0.subscribers.removeValue(forKey: sub.id) != nil }
        if removed { DomainMetrics.liveClients.record(clientCount.wrappingSubtract(1, ordering: .relaxed).newValue) }
        sub.continuation.finish()
    }

    /// How many dashboards are connected, over all tenants.
    public var subscriberCount: Int {
        let all = channels.withLock { Array($0.values) }
        return all.reduce(0) { n, c in n + c.state.withLock { $0.subscribers.count } }
    }

    /// Queues a change; call in journal order (from the tenant's actor).
    public func stage(_ event: LiveEvent) {
        channel(event.tenantID).state.withLock { $0.staged.append(event) }
    }

    /// Sends every staged change of `tenantID` with `seq <= upTo` (they are durable now).
    public func release(tenantID: Int, upTo seq: UInt64) {
        let channel = channel(tenantID)
        // Take the events and a ticket each under the lock; render them outside it; deliver
        // under it again, in ticket (journal) order.
        let (events, firstTicket): ([LiveEvent], UInt64) = channel.state.withLock { s in
            var events: [LiveEvent] = []
            while let first = s.staged.first, first.seq <= seq {
                s.staged.removeFirst()
                if !s.subscribers.isEmpty { events.append(first) }
            }
            let firstTicket = s.nextTicket
            for _ in events {
                s.rendering.append(s.nextTicket)
                s.nextTicket += 1
            }
            return (events, firstTicket)
        }
        guard !events.isEmpty else { return }
        let frames = events.map(render)
        channel.state.withLock { s in
            for (i, frame) in frames.enumerated() { s.rendered[firstTicket + UInt64(i)] = frame }
            while let ticket = s.rendering.first, let frame = s.rendered.removeValue(forKey: ticket) {
                s.rendering.removeFirst()
                deliver(frame, to: &s)
            }
        }
    }

    /// Drops staged changes that will never become durable (the journal failed), up to `seq`.
    public func discard(tenantID: Int, from seq: UInt64) {
        channel(tenantID).state.withLock { s in s.staged.removeAll { $0.seq >= seq } }
    }

    /// Sends a frame to every dashboard of `tenantID` now (e.g. a WhatsApp status change).
    public func broadcast(tenantID: Int, frame: String) {
        channel(tenantID).state.withLock { s in deliver(frame, to: &s) }
    }

    func deliver(_ frame: String, to s: inout Channel.State) {
        var cut: [UInt64] = []
        for (id, sub) in s.subscribers {
            if case .dropped = sub.continuation.yield(frame) {
                sub.overflow.store(true, ordering: .releasing)
                sub.continuation.finish()
                cut.append(id)
            }
        }
        for id in cut { s.subscribers.removeValue(forKey: id) }
    }
}
