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
        var handles: [JobKey: TimerWheel<JobKey>.Handle] = [:]
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
            let needed = s.handles.count + jobs.count
            if needed > s.handles.capacity { s.handles.reserveCapacity(max(needed, s.handles.capacity * 2)) }
            for (key, dueAt) in jobs {
                if dueAt < lateBefore { late += 1 }
                if let old = s.handles[key] { s.wheel.cancel(old) }
                s.handles[key] = s.wheel.insert(dueTick: (dueAt + tickMillis - 1) / tickMillis, key)
            }
        }
        if late > 0 { DomainMetrics.jobsLate.increment(by: late) }
    }

    public func disarm(_ key: JobKey) {
        state.withLock { s in
            if let h = s.handles.removeValue(forKey: key) { s.wheel.cancel(h) }
        }
    }

    /// Jobs armed and not fired yet.
    public var pendingCount: Int { state.withLock { $0.wheel.count } }

    /// Jobs handed to the dispatcher so far.
    public var firedCount: Int { state.withLock { $0.fired } }

    /// Whether `key` is armed.
    public func isArmed(_ key: JobKey) -> Bool { state.withLock { $0.handles[key] != nil } }

    /// Processes the ticks up to the clock's current time and hands due jobs over.
    public func tick() {
        // Until the dispatcher is connected nothing is taken off the wheel.
        guard let handler = onDue.withLock({ $0 }) else { return }
        let nowTick = clock.now() / tickMillis
        let (due, behind, pending): ([JobKey], Bool, Int) = state.withLock { s in
            var due: [JobKey] = []
            let behind = nowTick - s.wheel.currentTick > 1
            s.wheel.advance(to: nowTick) { key in due.append(key) }
            for key in due { s.handles.removeValue(forKey: key) }
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
