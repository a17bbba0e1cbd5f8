import CoreMetrics
import Logging
import ServiceLifecycle
import Synchronization

/// The confirmation timer: a ``TimerWheel`` of 1 s ticks behind a mutex (tenants arm and
/// disarm jobs synchronously from their actors), driven by a ``SchedulerClock`` as a service
/// of the server's service group. Each tick hands the jobs that fell due to the dispatcher.
/// A job never fires before its due time: its due tick is rounded up.
public final class MessageScheduler: JobSink, Service, Sendable {
    struct State {
        var wheel: TimerWheel<JobKey>
        /// Where each armed job sits in the wheel.
        var slots = JobSlots()
        var fired = 0
    }

    public let tickMillis: Int64
    let clock: any SchedulerClock
    let state: Mutex<State>
    let onDue: Mutex<(@Sendable ([JobKey]) -> Void)?>
    let logger: Logger

    public init(clock: any SchedulerClock, tickMillis: Int64 = 1000, logger: Logger) {
        self.clock = clock
        self.tickMillis = tickMillis
        self.logger = logger
        self.state = Mutex(State(wheel: TimerWheel(startTick: clock.now() / tickMillis)))
        self.onDue = Mutex(nil)
    }

    /// Sets who receives due jobs (the dispatcher).
    public func setHandler(_ handler: @escaping @Sendable ([JobKey]) -> Void) {
        onDue.withLock { $0 = handler }
    }

    public func arm(_ key: JobKey, at dueAt: Int64) {
        arm([(key, dueAt)])
    }

    /// Arms `jobs` under one acquisition of the lock: at boot a million jobs armed one lock
    /// each kept the tick loop (and with it a cooperative thread) waiting on the lock.
    public func arm(_ jobs: [(key: JobKey, dueAt: Int64)]) {
        guard !jobs.isEmpty else { return }
        let lateBefore = clock.now() - tickMillis
        var late = 0
        state.withLock { s in
            for (key, dueAt) in jobs {
                if dueAt < lateBefore { late += 1 }
                if let old = s.slots.slot(of: key, in: s.wheel) {
                    s.slots.remove(old, for: key)
                    if let handle = s.wheel.handle(atSlot: old) { s.wheel.cancel(handle) }
                }
                let handle = s.wheel.insert(dueTick: (dueAt + tickMillis - 1) / tickMillis, key)
                s.slots.insert(handle.index, for: key, in: s.wheel)
            }
        }
        if late > 0 { DomainMetrics.jobsLate.increment(by: late) }
    }

    public func disarm(_ key: JobKey) {
        state.withLock { s in
            guard let slot = s.slots.slot(of: key, in: s.wheel) else { return }
            s.slots.remove(slot, for: key)
            if let handle = s.wheel.handle(atSlot: slot) { s.wheel.cancel(handle) }
            s.slots.shrinkIfSparse(in: s.wheel)
        }
    }

    /// Jobs armed and not fired yet.
    public var pendingCount: Int { state.withLock { $0.wheel.count } }

    /// Jobs handed to the dispatcher so far.
    public var firedCount: Int { state.withLock { $0.fired } }

    /// Whether `key` is armed.
    public func isArmed(_ key: JobKey) -> Bool { state.withLock { $0.slots.slot(of: key, in: $0.wheel) != nil } }

    /// Processes the ticks up to the clock's current time and hands due jobs over.
    public func tick() {
        // Until the dispatcher is connected nothing is taken off the wheel.
        guard let handler = onDue.withLock({ $0 }) else { return }
        let nowTick = clock.now() / tickMillis
        let (due, behind, pending): ([JobKey], Bool, Int) = state.withLock { s in
            var due: [JobKey] = []
            let behind = nowTick - s.wheel.currentTick > 1
            var fired: [Int32] = []
            s.wheel.advance(to: nowTick) { handle, key in
                due.append(key)
                fired.append(handle.index)
            }
            for (slot, key) in zip(fired, due) { s.slots.remove(slot, for: key) }
            s.slots.shrinkIfSparse(in: s.wheel)
            s.fired += due.count
            return (due, behind, s.wheel.count)
        }
        DomainMetrics.jobsPending.record(pending)
        if !due.isEmpty {
            DomainMetrics.jobsFired.increment(by: due.count)
            if behind { DomainMetrics.jobsLate.increment(by: due.count) }
        }
        if !due.isEmpty { handler(due) }
    }

    public func run() async throws {
        _ = try? await cancelWhenGracefulShutdown { [self] in
            // The loop keeps its own tick count: reading the wheel's would spin while no
            // dispatcher is connected (the wheel does not advance then) and would wait on the
            // lock that arming holds.
            var tickNumber = clock.now() / tickMillis
            while !Task.isCancelled {
                tickNumber = max(tickNumber + 1, clock.now() / tickMillis)
                do {
                    try await clock.sleep(until: tickNumber * tickMillis)
                } catch {
                    return
                }
                tick()
            }
        }
        logger.debug("scheduler stopped")
    }
}
