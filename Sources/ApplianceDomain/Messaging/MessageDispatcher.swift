import DequeModule
import Logging

/// Sends the jobs the scheduler hands over: per tenant in order, with a bounded number in
/// flight per tenant (provider-dependent) and overall, and a minimum gap per tenant for
/// providers with rate limits. For each job: journal the attempt and wait for the sync, send,
/// journal the outcome.
public actor MessageDispatcher {
    /// Limits of one provider.
    public struct Limits: Sendable {
        /// Sends of one tenant in flight at once.
        public var perTenantInFlight: Int
        /// Minimum milliseconds between two sends of one tenant (a per-tenant rate limit).
        public var minGapMillis: Int64

        public init(perTenantInFlight: Int, minGapMillis: Int64) {
            self.perTenantInFlight = perTenantInFlight
            self.minGapMillis = minGapMillis
        }
    }

    let registry: TenantRegistry
    let providers: [Settings.Provider: any MessageProvider]
    let limits: [Settings.Provider: Limits]
    let clock: any SchedulerClock
    let scheduler: any JobSink
    let logger: Logger
    let maxInFlight: Int

    var queues: [Int: Deque<UInt64>] = [:]
    var inFlight: [Int: Int] = [:]
    var lastSend: [Int: Int64] = [:]
    var total = 0
    var waiting: Set<Int> = []
    /// Sends completed (any outcome), for benchmarks and tests.
    public private(set) var completed = 0
    /// Jobs received from the scheduler so far (compare with ``MessageScheduler/firedCount``).
    public private(set) var submitted = 0
    var idleWaiters: [CheckedContinuation<Void, Never>] = []
    /// Set by ``finishInFlight()``: no job is taken any more.
    var stopped = false

    /// Sends in flight at most while Shopify deliveries are in progress (``IngestActivity``):
    /// webhooks first, confirmations take the CPU they leave.
    let maxInFlightDuringIngest: Int
    /// Milliseconds between two sends (of any tenant) while deliveries are in progress: a send
    /// costs as much CPU as a delivery, so under full ingest the drain goes on at a trickle
    /// (at most 1,000 / this per second) and takes the machine back the moment ingest stops.
    let gapDuringIngestMillis: Int64
    /// When the last send of any tenant started.
    var lastAnySend: Int64?
    /// Waiting out ``gapDuringIngestMillis`` (one timer at a time).
    var ingestPause = false

    public init(registry: TenantRegistry, providers: [Settings.Provider: any MessageProvider],
                limits: [Settings.Provider: Limits] = MessageDispatcher.defaultLimits,
                clock: any SchedulerClock, scheduler: any JobSink, logger: Logger, maxInFlight: Int = 256,
                maxInFlightDuringIngest: Int = 1, gapDuringIngestMillis: Int64 = 2) {
        self.maxInFlightDuringIngest = maxInFlightDuringIngest
        self.gapDuringIngestMillis = gapDuringIngestMillis
        self.registry = registry
        self.providers = providers
        self.limits = limits
        self.clock = clock
        self.scheduler = scheduler
        self.logger = logger
        self.maxInFlight = maxInFlight
    }

    /// Cloud: 8 in flight and at most 20 messages/s per tenant; log: 64 in flight; web: one at a time.
    public static let defaultLimits: [Settings.Provider: Limits] = [
        .cloud: Limits(perTenantInFlight: 8, minGapMillis: 50),
        .log: Limits(perTenantInFlight: 64, minGapMillis: 0),
        .web: Limits(perTenantInFlight: 1, minGapMillis: 0),
    ]

    /// Queues due jobs.
    public func submit(_ keys: [JobKey]) {
        guard !stopped else { return }
        submitted += keys.count
        for key in keys { queues[Int(key.tenantID), default: []].append(key.orderID) }
        pump()
    }

    /// Returns once nothing is queued or in flight, or once everything left waits for its
    /// tenant's rate-limit gap to pass (nothing in flight). Returns whether it is idle. For tests
    /// and benchmarks that drive the clock by hand.
    /// Returns early (with the current answer) when the calling task is cancelled.
    @discardableResult
    public func waitUntilIdleOrPaced() async -> Bool {
        if !isBusy || Task.isCancelled { return backlog == 0 }
        await withTaskCancellationHandler {
            await withCheckedContinuation { idleWaiters.append($0) }
        } onCancel: {
            Task { await self.releaseIdleWaiters() }
        }
        return backlog == 0
    }

    /// Shutdown: takes no more jobs and returns once the sends in flight have finished and
    /// journaled their outcome. Jobs still queued stay `scheduled` on disk and are re-armed at
    /// the next start.
    public func finishInFlight() async {
        stopped = true
        queues = [:]
        while total > 0 {
            await withCheckedContinuation { idleWaiters.append($0) }
        }
    }

    func releaseIdleWaiters() {
        let waiters = idleWaiters
        idleWaiters = []
        for w in waiters { w.resume() }
    }

    /// Something is in flight, or queued and not waiting for a rate-limit gap.
    var isBusy: Bool { backlog > 0 && !(total == 0 && (ingestPause || queues.keys.allSatisfy { waiting.contains($0) })) }

    func resumeIdleWaitersIfIdle() {
        guard !isBusy, !idleWaiters.isEmpty else { return }
        releaseIdleWaiters()
    }

    /// Jobs queued or in flight.
    public var backlog: Int { queues.values.reduce(0) { $0 + $1.count } + total }

    func pump() {
        let ingesting = registry.ingestActivity.isBusy(now: clock.now())
        if ingesting, gapDuringIngestMillis > 0, let last = lastAnySend, clock.now() - last < gapDuringIngestMillis {
            pauseForIngest(until: last + gapDuringIngestMillis)
            return
        }
        let cap = ingesting ? min(maxInFlight, maxInFlightDuringIngest) : maxInFlight
        tenants: for tenantID in Array(queues.keys) where !waiting.contains(tenantID) {
            while total < cap, let orderID = queues[tenantID]?.first {
                guard let tenant = try? registry.tenant(tenantID) else {
                    queues[tenantID] = nil
                    break
                }
                let limit = limit(tenantID)
                guard inFlight[tenantID, default: 0] < limit.perTenantInFlight else { break }
                let now = clock.now()
                if limit.minGapMillis > 0, let last = lastSend[tenantID], now - last < limit.minGapMillis {
                    waiting.insert(tenantID)
                    let wake = last + limit.minGapMillis
                    Task { [clock] in
                        try? await clock.sleep(until: wake)
                        await self.endWait(tenantID)
                    }
                    break
                }
                // In place: a copy of the queue taken out of the dictionary would be copied whole
                // on removeFirst (copy-on-write), once per send.
                queues[tenantID]?.removeFirst()
                if queues[tenantID]?.isEmpty == true { queues[tenantID] = nil }
                inFlight[tenantID, default: 0] += 1
                total += 1
                lastSend[tenantID] = now
                lastAnySend = now
                Task { await self.run(tenant: tenant, orderID: orderID) }
                // While deliveries come in, one send per gap.
                if ingesting { break tenants }
            }
        }
        resumeIdleWaitersIfIdle()
    }

    /// Waits out the gap between sends while deliveries come in, then looks again.
    func pauseForIngest(until wake: Int64) {
        if !ingestPause {
            ingestPause = true
            Task { [clock] in
                try? await clock.sleep(until: wake)
                await self.endIngestPause()
            }
        }
        resumeIdleWaitersIfIdle()
    }

    func endIngestPause() {
        ingestPause = false
        pump()
    }

    /// The provider kind a tenant uses, as last seen (refreshed on every send).
    var providerKinds: [Int: Settings.Provider] = [:]

    /// The limits of the tenant's provider. Until its first send tells which provider it uses
    /// (after a start), one send at a time with the strictest gap, so overdue jobs of a Cloud
    /// API tenant do not all go out at once.
    func limit(_ tenantID: Int) -> Limits {
        if let kind = providerKinds[tenantID] { return limits[kind] ?? Limits(perTenantInFlight: 1, minGapMillis: 0) }
        return Limits(perTenantInFlight: 1, minGapMillis: limits.values.map(\.minGapMillis).max() ?? 0)
    }

    /// How many rate-limit waits have ended (for tests that drive the clock by hand).
    public private(set) var pacingResumes = 0

    func endWait(_ tenantID: Int) {
        pacingResumes += 1
        waiting.remove(tenantID)
        pump()
    }

    func run(tenant: Tenant, orderID: UInt64) async {
        await send(tenant: tenant, orderID: orderID)
        inFlight[tenant.id, default: 1] -= 1
        total -= 1
        completed += 1
        pump()
    }

    func send(tenant: Tenant, orderID: UInt64) async {
        let settings = await tenant.settings
        providerKinds[tenant.id] = settings.whatsappProvider
        let key = JobKey(tenantID: tenant.id, orderID: orderID)
        guard let provider = providers[settings.whatsappProvider] else { return }
        // A paced provider (WhatsApp Web) may say the tenant must wait: the job stays scheduled
        // and fires again then.
        if let paced = provider as? any SendPacing, let at = await paced.earliestSend(tenantID: tenant.id, now: clock.now()),
           at > clock.now() {
            scheduler.arm(key, at: at)
            return
        }
        do {
            switch try await tenant.beginAttempt(orderID: orderID, provider: provider.name) {
            case .none, .held:
                return
            case .notDue(let at):
                scheduler.arm(key, at: at)
            case .go(let message):
                let outcome = await provider.send(message, settings: settings)
                DomainMetrics.message(provider: provider.name, outcome: outcome.metricLabel)
                try await tenant.finishAttempt(orderID: orderID, message: message, outcome: outcome, jitter: Double.random(in: 0...1))
                if case .hold(let reason) = outcome {
                    logger.warning("sending on hold", metadata: ["tenant": "\(tenant.id)", "reason": "\(reason)"])
                }
            }
        } catch {
            logger.error("send failed to record", metadata: ["tenant": "\(tenant.id)", "order": "\(orderID)", "error": "\(error)"])
        }
    }
}
