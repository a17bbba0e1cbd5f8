import Synchronization

/// A clock that moves only when told (``advance(by:)``), waking the sleepers whose deadline
/// has come. For tests of delays measured in minutes, without sleeping.
public final class ManualClock: SchedulerClock, Sendable {
    struct Sleeper {
        let deadline: Int64
        let continuation: CheckedContinuation<Void, any Error>
    }

    struct State {
        var now: Int64
        var sleepers: [Int: Sleeper] = [:]
        var nextID = 0
    }

    let state: Mutex<State>

    public init(now: Int64) {
        state = Mutex(State(now: now))
    }

    public func now() -> Int64 { state.withLock { $0.now } }

    /// How many tasks are waiting on the clock.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Moves time forward and resumes every sleeper whose deadline has passed.
    public func advance(by ms: Int64) {
        let ready: [Sleeper] = state.withLock { s in
            s.now += ms
            let now = s.now
            let due = s.sleepers.filter { $0.value.deadline <= now }
            for key in due.keys { s.sleepers.removeValue(forKey: key) }
            return Array(due.values)
        }
        for sleeper in ready { sleeper.continuation.resume() }
    }

    public func sleep(until deadline: Int64) async throws {
        let id: Int = state.withLock { s in
            defer { s.nextID += 1 }
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let immediate: Bool = state.withLock { s in
                    if s.now >= deadline || Task.isCancelled { return true }
                    s.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return false
                }
                if immediate { continuation.resume() }
            }
        } onCancel: {
            let sleeper = state.withLock { $0.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
        try Task.checkCancellation()
    }
}
