import WebDriver

/// One tenant's sends as pacing sees them: when the next may start and the times of the sends
/// of the last 24 hours (for the hourly and daily caps). In memory only: a restart forgets it.
struct PacingLedger: Sendable, Equatable {
    /// The earliest start of the next send (the gap after the last one, jitter included).
    var nextAllowed: Int64 = 0
    /// Send times of the last 24 hours, oldest first.
    var recent: [Int64] = []

    static let hour: Int64 = 3_600_000
    static let day: Int64 = 86_400_000

    /// Records a send at `now`; `jitter` in 0...1 picks the extra gap.
    mutating func record(at now: Int64, pacing: WebPacing, jitter: Double) {
        let gap = pacing.minGap.milliseconds
        let extra = Int64((Double(gap) * max(0, pacing.jitter) * min(max(jitter, 0), 1)).rounded())
        nextAllowed = max(nextAllowed, now + gap + extra)
        recent.append(now)
        trim(now: now)
    }

    /// When the next send may start, or nil when it may start at `now`.
    func earliest(now: Int64, pacing: WebPacing) -> Int64? {
        var at = nextAllowed
        if let t = Self.capRelease(recent, cap: pacing.hourlyCap, window: Self.hour, now: now) { at = max(at, t) }
        if let t = Self.capRelease(recent, cap: pacing.dailyCap, window: Self.day, now: now) { at = max(at, t) }
        return at > now ? at : nil
    }

    /// When a cap of `cap` sends per `window` lets the next one through (nil: it does now).
    static func capRelease(_ times: [Int64], cap: Int, window: Int64, now: Int64) -> Int64? {
        guard cap > 0 else { return nil }
        let inWindow = times.filter { $0 > now - window }
        guard inWindow.count >= cap else { return nil }
        // The oldest send that must leave the window for one more to fit.
        return inWindow[inWindow.count - cap] + window
    }

    mutating func trim(now: Int64) {
        recent.removeAll { $0 <= now - Self.day }
    }
}
