import ApplianceDomain
import CoreMetrics
import Logging
import WebDriver

/// The Chromes of all tenants. At most `limit` run at once (starting and closing ones count);
/// a tenant has at most one, used by one lease at a time (per-tenant serialisation). A released
/// browser stays open for the tenant's next lease (a batch of sends in one session) until it
/// has been idle for `idleTimeout`, or until another tenant needs the slot: then it is closed,
/// except that a tenant about to send again keeps it for `batchGrace`, at most `maxBatch`
/// times in a row while others wait.
actor BrowserPool {
    enum Phase: Sendable { case launching, busy, idle, closing }

    struct Slot {
        var browser: WebBrowser?
        var phase: Phase
        /// Counts idle periods, so an idle timer only closes the period it was made for.
        var generation = 0
        /// Leases kept in a row while other tenants waited.
        var keptInARow = 0
        /// While set and in the future, the idle browser is not given away.
        var reservedUntil: ContinuousClock.Instant?
        /// To be closed as soon as its holder releases it (disconnect, shutdown).
        var doomed = false
        var idleSince = ContinuousClock.now
    }

    enum Grant: Sendable {
        case reuse(WebBrowser)
        case launch
    }

    struct Waiter {
        let id: UInt64
        let tenantID: Int
        let purpose: LeasePurpose
        let continuation: CheckedContinuation<Grant, any Error>
    }

    let limit: Int
    let idleTimeout: Duration
    let batchGrace: Duration
    let maxBatch: Int
    let launcher: @Sendable (Int) async throws -> WebBrowser
    let logger: Logger

    var slots: [Int: Slot] = [:]
    var waiters: [Waiter] = []
    var nextWaiterID: UInt64 = 0
    var isClosed = false
    var timers: [Int: Task<Void, Never>] = [:]
    var goneWaiters: [Int: [CheckedContinuation<Void, Never>]] = [:]
    var emptyWaiters: [CheckedContinuation<Void, Never>] = []
    private(set) var stats = BrowserPoolStats()
    /// Every process id a browser of this pool reported (tests check they are all gone).
    private(set) var processIDs: Set<Int32> = []

    init(limit: Int, idleTimeout: Duration, batchGrace: Duration, maxBatch: Int, logger: Logger,
         launcher: @escaping @Sendable (Int) async throws -> WebBrowser) {
        self.limit = max(1, limit)
        self.idleTimeout = idleTimeout
        self.batchGrace = batchGrace
        self.maxBatch = maxBatch
        self.logger = logger
        self.launcher = launcher
    }

    // MARK: Leasing

    /// A browser on the tenant's profile, for the caller alone until ``release(_:reusable:continuesSoon:)``.
    /// Waits while the tenant's browser is in use or the pool is full.
    /// - Throws: ``BrowserPoolError``, `CancellationError`, or the launch error.
    func lease(tenantID: Int, purpose: LeasePurpose) async throws -> WebBrowser {
        guard !isClosed else { throw BrowserPoolError.closed }
        let id = nextWaiterID
        nextWaiterID += 1
        let grant = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Grant, any Error>) in
                waiters.append(Waiter(id: id, tenantID: tenantID, purpose: purpose, continuation: continuation))
                pump()
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        switch grant {
        case .reuse(let browser):
            stats.reuses += 1
            return browser
        case .launch:
            return try await launch(tenantID)
        }
    }

    /// Starts the browser of a slot granted for launching (the launch is not cancelled halfway:
    /// a browser that starts after its caller gave up is closed again).
    func launch(_ tenantID: Int) async throws -> WebBrowser {
        let launcher = self.launcher
        let task = Task { try await launcher(tenantID) }
        let browser: WebBrowser
        do {
            browser = try await task.value
        } catch {
            slots[tenantID] = nil
            slotsChanged()
            pump()
            throw error
        }
        processIDs.formUnion(browser.processIDs)
        slots[tenantID]?.browser = browser
        slots[tenantID]?.phase = .busy
        if isClosed || slots[tenantID]?.doomed == true || Task.isCancelled {
            release(browser, reusable: false)
            if Task.isCancelled { throw CancellationError() }
            throw isClosed ? BrowserPoolError.closed : BrowserPoolError.tenantClosed
        }
        return browser
    }

    /// Gives a leased browser back. `reusable: false` closes it (after an error, or when the
    /// caller is done with it, like linking). `continuesSoon`: the tenant may use it again at once.
    func release(_ browser: WebBrowser, reusable: Bool, continuesSoon: Bool = false) {
        let tenantID = browser.tenantID
        processIDs.formUnion(browser.processIDs)
        guard var slot = slots[tenantID], slot.browser?.session.id == browser.session.id else {
            // Not (or no longer) tracked: make sure it is gone.
            Task { await browser.close() }
            return
        }
        guard reusable, !isClosed, !slot.doomed, slot.phase == .busy else {
            close(tenantID)
            return
        }
        slot.phase = .idle
        slot.generation += 1
        slot.idleSince = .now
        let othersWaiting = waiters.contains { $0.tenantID != tenantID }
        if othersWaiting, continuesSoon, slot.keptInARow < maxBatch {
            slot.keptInARow += 1
            slot.reservedUntil = .now + batchGrace
            let generation = slot.generation
            scheduleTimer(tenantID, after: batchGrace) { pool in await pool.reservationEnded(tenantID, generation: generation) }
        } else {
            slot.reservedUntil = nil
            if !othersWaiting { slot.keptInARow = 0 }
            let generation = slot.generation
            scheduleTimer(tenantID, after: idleTimeout) { pool in await pool.closeIfIdle(tenantID, generation: generation) }
        }
        slots[tenantID] = slot
        pump()
    }

    // MARK: Closing

    /// Ends the tenant's browser, even one in use (its holder's commands then fail), fails the
    /// tenant's waiting leases, and returns once no browser of the tenant runs.
    func terminate(tenantID: Int) async {
        for waiter in waiters where waiter.tenantID == tenantID {
            waiter.continuation.resume(throwing: BrowserPoolError.tenantClosed)
        }
        waiters.removeAll { $0.tenantID == tenantID }
        guard var slot = slots[tenantID] else { return }
        switch slot.phase {
        case .idle:
            close(tenantID)
        case .busy, .launching:
            slot.doomed = true
            slots[tenantID] = slot
            if let browser = slot.browser { await browser.kill() }
        case .closing:
            break
        }
        guard slots[tenantID] != nil else { return }
        await withCheckedContinuation { goneWaiters[tenantID, default: []].append($0) }
    }

    /// Stops leasing, closes every browser (killing those in use) and returns once all are gone.
    func shutdown() async {
        isClosed = true
        for waiter in waiters { waiter.continuation.resume(throwing: BrowserPoolError.closed) }
        waiters = []
        for timer in timers.values { timer.cancel() }
        timers = [:]
        var busy: [WebBrowser] = []
        for (tenantID, slot) in slots {
            switch slot.phase {
            case .idle: close(tenantID)
            case .busy, .launching:
                slots[tenantID]?.doomed = true
                if let browser = slot.browser { busy.append(browser) }
            case .closing: break
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for browser in busy { group.addTask { await browser.kill() } }
        }
        guard !slots.isEmpty else { return }
        await withCheckedContinuation { emptyWaiters.append($0) }
    }

    /// The batch grace of an idle browser ran out: others may take its slot now; else it closes
    /// once idle for the idle timeout.
    func reservationEnded(_ tenantID: Int, generation: Int) {
        guard var slot = slots[tenantID], slot.phase == .idle, slot.generation == generation else { return }
        slot.reservedUntil = nil
        slots[tenantID] = slot
        let remaining = idleTimeout - (ContinuousClock.now - slot.idleSince)
        scheduleTimer(tenantID, after: max(.zero, remaining)) { pool in await pool.closeIfIdle(tenantID, generation: generation) }
        pump()
    }

    func closeIfIdle(_ tenantID: Int, generation: Int) {
        guard let slot = slots[tenantID], slot.phase == .idle, slot.generation == generation else { return }
        logger.debug("closing an idle browser", metadata: ["tenant": "\(tenantID)"])
        close(tenantID)
    }

    /// Closes the tenant's browser in the background; its slot counts until it is gone.
    func close(_ tenantID: Int) {
        guard var slot = slots[tenantID], slot.phase != .closing else { return }
        timers.removeValue(forKey: tenantID)?.cancel()
        slot.phase = .closing
        slots[tenantID] = slot
        let browser = slot.browser
        Task {
            await browser?.close()
            self.didClose(tenantID)
        }
    }

    func didClose(_ tenantID: Int) {
        slots[tenantID] = nil
        slotsChanged()
        pump()
    }

    // MARK: Granting

    func cancelWaiter(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
        pump()
    }

    /// Serves waiters in order (purpose, then arrival): a tenant's idle browser is reused; a
    /// free slot starts a new one; when the pool is full, idle browsers of other tenants that
    /// are not reserved are closed to make room.
    func pump() {
        guard !isClosed, !waiters.isEmpty else { return }
        let ordered = waiters.sorted { $0.purpose != $1.purpose ? $0.purpose > $1.purpose : $0.id < $1.id }
        var needRoom = 0
        for waiter in ordered {
            if let slot = slots[waiter.tenantID] {
                guard slot.phase == .idle, let browser = slot.browser else { continue }
                timers.removeValue(forKey: waiter.tenantID)?.cancel()
                slots[waiter.tenantID]?.phase = .busy
                slots[waiter.tenantID]?.reservedUntil = nil
                grant(waiter, .reuse(browser))
            } else if needRoom == 0 && slots.count < limit {
                slots[waiter.tenantID] = Slot(browser: nil, phase: .launching)
                stats.launches += 1
                grant(waiter, .launch)
                slotsChanged()
            } else {
                needRoom += 1
            }
        }
        guard needRoom > 0 else { return }
        let closing = slots.values.filter { $0.phase == .closing }.count
        let now = ContinuousClock.now
        let victims = slots.filter { $0.value.phase == .idle && ($0.value.reservedUntil.map { $0 <= now } ?? true) }
            .sorted { $0.value.idleSince < $1.value.idleSince }
            .prefix(max(0, needRoom - closing))
        for (tenantID, _) in victims {
            logger.debug("closing an idle browser for a waiting tenant", metadata: ["tenant": "\(tenantID)"])
            close(tenantID)
        }
    }

    func grant(_ waiter: Waiter, _ grant: Grant) {
        waiters.removeAll { $0.id == waiter.id }
        waiter.continuation.resume(returning: grant)
    }

    func scheduleTimer(_ tenantID: Int, after delay: Duration, _ action: @escaping @Sendable (BrowserPool) async -> Void) {
        timers.removeValue(forKey: tenantID)?.cancel()
        timers[tenantID] = Task { [weak self] in
            try? await Task.sleep(for: delay)
            guard !Task.isCancelled, let self else { return }
            await action(self)
        }
    }

    /// After slots were added or removed: the gauge, the peak, waiters for an empty pool or a
    /// gone tenant. (Never grants: callers pump.)
    func slotsChanged() {
        stats.running = slots.count
        stats.peak = max(stats.peak, slots.count)
        DomainMetrics.browsersRunning.record(slots.count)
        for tenantID in Array(goneWaiters.keys) where slots[tenantID] == nil {
            for waiter in goneWaiters.removeValue(forKey: tenantID) ?? [] { waiter.resume() }
        }
        if slots.isEmpty {
            let waiting = emptyWaiters
            emptyWaiters = []
            for waiter in waiting { waiter.resume() }
        }
    }

    /// True when the tenant's browser is open (idle or in use).
    func hasBrowser(_ tenantID: Int) -> Bool { slots[tenantID] != nil }
}
