/// Wall-clock time that can be waited on: the scheduler's seam, so tests move time by hand
/// instead of sleeping.
public protocol SchedulerClock: WallClock {
    /// Returns once `now() >= deadline` (ms since 1970), or throws when cancelled.
    func sleep(until deadline: Int64) async throws
}

/// The real clock.
public struct SystemSchedulerClock: SchedulerClock {
    let wall = SystemWallClock()

    public init() {}

    public func now() -> Int64 { wall.now() }

    public func sleep(until deadline: Int64) async throws {
        let remaining = deadline - now()
        if remaining > 0 { try await Task.sleep(for: .milliseconds(remaining)) }
    }
}
