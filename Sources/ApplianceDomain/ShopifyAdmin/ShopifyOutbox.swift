import DequeModule
import Logging

/// Works off the tenants' Shopify write-backs: a queue per tenant of orders with jobs (each
/// order's jobs one at a time, in order), at most ``perTenantInFlight`` requests in flight per
/// tenant, paced by the bucket Shopify reports in every answer (`extensions.cost.throttleStatus`):
/// a request is sent only once the bucket is expected to hold its cost, and after a `THROTTLED`
/// answer nothing of that tenant goes out for (requested − available) / restoreRate seconds.
/// Connection errors, 429 and 5xx back the tenant off exponentially; a refused token holds the
/// tenant until its settings change. The jobs live in the orders' journaled ``ShopifySync``;
/// this queue is rebuilt from them at boot (``recover(registry:)``).
public actor ShopifyOutbox: WriteBackSink {
    public static let perTenantInFlight = 4

    /// The bucket as last reported, refilled at `restoreRate` since `at`, minus what is in flight.
    struct Bucket {
        var available: Double
        var maximum: Double
        var restoreRate: Double
        var at: Int64

        func level(at now: Int64) -> Double {
            min(maximum, available + restoreRate * Double(max(0, now - at)) / 1000)
        }
    }

    struct Lane {
        var queue = Deque<UInt64>()
        var queued = Set<UInt64>()
        var busy = Set<UInt64>()
        var inFlight = 0
        /// No request before this time (THROTTLED, backoff, pacing).
        var pausedUntil: Int64 = 0
        var wakeArmed = false
        var held = false
        var bucket: Bucket?
        /// The cost of the last request (requestedQueryCost), the estimate for the next.
        var cost: Double = 10
        var failures = 0
        var depth: Int { queued.count + busy.count }
    }

    let registry: TenantRegistry
    let client: ShopifyAdminClient
    let clock: any SchedulerClock
    let logger: Logger
    var lanes: [Int: Lane] = [:]
    var stopped = false
    var total = 0
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Requests sent so far (tests, the bench).
    public private(set) var sent = 0

    public init(registry: TenantRegistry, client: ShopifyAdminClient, clock: any SchedulerClock, logger: Logger) {
        self.registry = registry
        self.client = client
        self.clock = clock
        self.logger = logger
    }

    // MARK: - WriteBackSink (called from inside a tenant's actor)

    public nonisolated func writeBacksQueued(tenantID: Int, orderID: UInt64) {
        Task { await self.enqueue(tenantID: tenantID, orderIDs: [orderID]) }
    }

    public nonisolated func writeBacksReleased(tenantID: Int) {
        Task { await self.release(tenantID: tenantID) }
    }

    /// Queues every order with write-backs left, of every loaded tenant (at start).
    public func recover() async -> Int {
        var count = 0
        for tenant in registry.readyTenants {
            let ids = await tenant.pendingWriteBacks()
            count += ids.count
            enqueue(tenantID: tenant.id, orderIDs: ids)
        }
        return count
    }

    func enqueue(tenantID: Int, orderIDs: [UInt64]) {
        guard !stopped, !orderIDs.isEmpty else { return }
        // Taken out of the dictionary while it changes: a copy left behind would make every
        // change copy the whole queue and its sets (copy-on-write).
        var lane = lanes.removeValue(forKey: tenantID) ?? Lane()
        for id in orderIDs where !lane.queued.contains(id) && !lane.busy.contains(id) {
            lane.queue.append(id)
            lane.queued.insert(id)
        }
        lanes[tenantID] = lane
        DomainMetrics.writeBackQueue(tenantID: tenantID, depth: lane.depth)
        pump(tenantID)
    }

    /// A settings change: a held tenant goes again (a THROTTLED pause or a backoff of a tenant
    /// that was not held is kept: the bucket has not refilled because the settings changed).
    func release(tenantID: Int) {
        guard lanes[tenantID]?.held == true else { return }
        lanes[tenantID]?.held = false
        lanes[tenantID]?.failures = 0
        pump(tenantID)
    }

    /// Write-backs queued or in flight, over every tenant.
    public var backlog: Int { lanes.values.reduce(0) { $0 + $1.depth } }

    /// Whether the tenant's write-backs are held.
    public func isHeld(tenantID: Int) -> Bool { lanes[tenantID]?.held ?? false }

    /// Returns once nothing is queued or in flight, or everything left is held. For tests and the bench.
    public func waitUntilIdle() async {
        while isBusy {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }

    var isBusy: Bool { lanes.values.contains { $0.inFlight > 0 || (!$0.queue.isEmpty && !$0.held) } }

    func notifyIdle() {
        guard !isBusy, !idleWaiters.isEmpty else { return }
        let waiters = idleWaiters
        idleWaiters = []
        for w in waiters { w.resume() }
    }

    /// Shutdown: takes nothing new and returns once the requests in flight have journaled their
    /// outcome (what is queued stays in the journal, and is queued again at the next start).
    public func finishInFlight() async {
        stopped = true
        for id in lanes.keys {
            lanes[id]!.queue.removeAll()
            lanes[id]!.queued.removeAll()
        }
        while total > 0 {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }

    // MARK: - Dispatch

    func pump(_ tenantID: Int) {
        guard !stopped, var lane = lanes.removeValue(forKey: tenantID) else { return notifyIdle() }
        defer {
            lanes[tenantID] = lane
            notifyIdle()
        }
        guard !lane.held else { return }
        let now = clock.now()
        while lane.inFlight < Self.perTenantInFlight, let orderID = lane.queue.first {
            if lane.pausedUntil > now { return armWake(tenantID, &lane, at: lane.pausedUntil) }
            if var bucket = lane.bucket {
                let level = bucket.level(at: now)
                if level < lane.cost {
                    // Not enough in the bucket for this request: wait until it has refilled.
                    let wait = Int64(((lane.cost - level) / max(bucket.restoreRate, 0.001) * 1000).rounded(.up))
                    return armWake(tenantID, &lane, at: now + max(1, wait))
                }
                bucket.available = level - lane.cost
                bucket.at = now
                lane.bucket = bucket
            }
            lane.queue.removeFirst()
            lane.queued.remove(orderID)
            lane.busy.insert(orderID)
            lane.inFlight += 1
            total += 1
            Task { await self.run(tenantID: tenantID, orderID: orderID) }
        }
    }

    func armWake(_ tenantID: Int, _ lane: inout Lane, at time: Int64) {
        guard !lane.wakeArmed else { return }
        lane.wakeArmed = true
        Task { [clock] in
            try? await clock.sleep(until: time)
            await self.wake(tenantID)
        }
    }

    func wake(_ tenantID: Int) {
        lanes[tenantID]?.wakeArmed = false
        pump(tenantID)
    }

    /// Runs the order's next job; afterwards the order goes back in line if it has more.
    func run(tenantID: Int, orderID: UInt64) async {
        let again = await attempt(tenantID: tenantID, orderID: orderID)
        var lane = lanes.removeValue(forKey: tenantID) ?? Lane()
        lane.inFlight -= 1
        lane.busy.remove(orderID)
        total -= 1
        if let again, !stopped, !lane.queued.contains(orderID) {
            if again == .front { lane.queue.prepend(orderID) } else { lane.queue.append(orderID) }
            lane.queued.insert(orderID)
        }
        lanes[tenantID] = lane
        DomainMetrics.writeBackQueue(tenantID: tenantID, depth: lane.depth)
        pump(tenantID)
    }

    enum Requeue { case front, back }

    /// One attempt; returns where the order goes next (nil: nothing left).
    func attempt(tenantID: Int, orderID: UInt64) async -> Requeue? {
        guard let tenant = try? registry.tenant(tenantID) else { return nil }
        do {
            let start = try await tenant.nextWriteBack(orderID: orderID)
            guard case .go(let job, let domain, let token) = start else {
                if case .held = start {
                    lanes[tenantID]?.held = true
                    return .front
                }
                return nil
            }
            sent += 1
            let answer = await client.perform(job, orderID: orderID, shopDomain: domain, token: token)
            observe(answer, tenantID: tenantID)
            switch answer.outcome {
            case .done:
                lanes[tenantID]?.failures = 0
                return try await tenant.finishWriteBack(orderID: orderID, job: job, outcome: .done(detail: nil)) ? .back : nil
            case .alreadyCancelled:
                lanes[tenantID]?.failures = 0
                return try await tenant.finishWriteBack(orderID: orderID, job: job, outcome: .done(detail: "the order was already cancelled in Shopify")) ? .back : nil
            case .userErrors(let message):
                return try await tenant.finishWriteBack(orderID: orderID, job: job, outcome: .failed(message)) ? .back : nil
            case .throttled(let wait):
                pause(tenantID, until: clock.now() + wait)
                return try await tenant.finishWriteBack(orderID: orderID, job: job, outcome: .retry("Shopify throttled the request (THROTTLED)")) ? .front : nil
            case .retry(let reason):
                backOff(tenantID)
                return try await tenant.finishWriteBack(orderID: orderID, job: job, outcome: .retry(reason)) ? .front : nil
            case .denied(let reason):
                logger.warning("Shopify write-backs held", metadata: ["tenant": "\(tenantID)", "reason": "\(reason)"])
                try await tenant.holdWriteBacks(reason)
                lanes[tenantID]?.held = true
                return .front
            }
        } catch {
            logger.error("write-back could not be recorded", metadata: ["tenant": "\(tenantID)", "order": "\(orderID)", "error": "\(error)"])
            backOff(tenantID)
            return .front
        }
    }

    /// Reads the bucket Shopify reported.
    func observe(_ answer: ShopifyAdminAnswer, tenantID: Int) {
        guard let cost = answer.cost, let lane = lanes[tenantID] else { return }
        let estimate = cost.requested.flatMap { $0 > 0 ? $0 : nil } ?? lane.cost
        // What the answer reports, less what this tenant has in flight besides this request.
        let others = Double(max(0, lane.inFlight - 1)) * estimate
        lanes[tenantID]?.cost = estimate
        lanes[tenantID]?.bucket = Bucket(available: cost.currentlyAvailable - others, maximum: cost.maximumAvailable,
                                         restoreRate: cost.restoreRate, at: clock.now())
    }

    func pause(_ tenantID: Int, until time: Int64) {
        guard let until = lanes[tenantID]?.pausedUntil else { return }
        lanes[tenantID]?.pausedUntil = max(until, time)
    }

    /// Exponential backoff per tenant: 1 s, 2 s, 4 s, … up to 5 minutes, with jitter.
    func backOff(_ tenantID: Int) {
        guard let failures = lanes[tenantID]?.failures, let until = lanes[tenantID]?.pausedUntil else { return }
        let base = min(300_000, 1000 << Int64(min(failures, 9)))
        let delay = Int64(Double(base) * Double.random(in: 0.75...1.0))
        lanes[tenantID]?.failures = failures + 1
        lanes[tenantID]?.pausedUntil = max(until, clock.now() + delay)
    }
}
