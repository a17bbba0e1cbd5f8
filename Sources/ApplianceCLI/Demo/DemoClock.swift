import ApplianceDomain
import Synchronization

/// A wall clock the demo generator sets by hand, so orders, sends and replies carry
/// believable times spread over the past days.
final class DemoClock: WallClock {
    private let millis: Atomic<Int64>

    init(_ now: Int64) {
        millis = Atomic(now)
    }

    func now() -> Int64 { millis.load(ordering: .relaxed) }

    func set(_ ms: Int64) { millis.store(ms, ordering: .relaxed) }
}
