import Synchronization

/// Counts failed logins per email and per client address over a sliding 15-minute window:
/// after 5 failures for one email (or 50 from one address) every further attempt is refused
/// until the oldest counted failure is 15 minutes old.
///
/// An attempt counts when it starts (``begin(email:address:now:)``), as a failure, and is taken
/// back when its password turns out right (``succeeded(_:)``): concurrent wrong passwords for one
/// email cannot all pass the check before the first of them is counted.
public final class LoginThrottle: Sendable {
    public let window: Int64
    public let perEmail: Int
    public let perAddress: Int
    /// Bounds memory under a flood of distinct keys.
    let maxKeys = 100_000

    struct State {
        var byEmail: [String: [Int64]] = [:]
        var byAddress: [String: [Int64]] = [:]
    }

    let state = Mutex(State())

    public init(window: Int64 = 15 * 60 * 1000, perEmail: Int = 5, perAddress: Int = 50) {
        self.window = window
        self.perEmail = perEmail
        self.perAddress = perAddress
    }

    /// Seconds to wait before another attempt, or nil when one is allowed now.
    public func retryAfter(email: String, address: String?, now: Int64) -> Int? {
        state.withLock { s in
            var wait: Int64 = 0
            if let w = blocked(&s.byEmail, key: email, limit: perEmail, now: now) { wait = max(wait, w) }
            if let address, let w = blocked(&s.byAddress, key: address, limit: perAddress, now: now) { wait = max(wait, w) }
            return wait > 0 ? Int((wait + 999) / 1000) : nil
        }
    }

    /// An attempt that was let through, counted as a failure until ``LoginThrottle/succeeded(_:)``.
    public struct Attempt: Sendable {
        let email: String
        let address: String?
        let at: Int64
    }

    /// Checks and counts in one step: the seconds to wait when the attempt is refused, else the
    /// counted attempt.
    public func begin(email: String, address: String?, now: Int64) -> Result<Attempt, Refused> {
        state.withLock { s in
            var wait: Int64 = 0
            if let w = blocked(&s.byEmail, key: email, limit: perEmail, now: now) { wait = max(wait, w) }
            if let address, let w = blocked(&s.byAddress, key: address, limit: perAddress, now: now) { wait = max(wait, w) }
            if wait > 0 { return .failure(Refused(retryAfter: Int((wait + 999) / 1000))) }
            record(&s, email: email, address: address, now: now)
            return .success(Attempt(email: email, address: address, at: now))
        }
    }

    /// A refused attempt: try again after this many seconds.
    public struct Refused: Error, Sendable {
        public let retryAfter: Int
    }

    /// The attempt's password was right: it no longer counts.
    public func succeeded(_ attempt: Attempt) {
        state.withLock { s in
            remove(&s.byEmail, key: attempt.email, at: attempt.at)
            if let address = attempt.address { remove(&s.byAddress, key: address, at: attempt.at) }
        }
    }

    func remove(_ map: inout [String: [Int64]], key: String, at: Int64) {
        guard var times = map[key], let i = times.lastIndex(of: at) else { return }
        times.remove(at: i)
        map[key] = times.isEmpty ? nil : times
    }

    func record(_ s: inout State, email: String, address: String?, now: Int64) {
        if s.byEmail.count > maxKeys { prune(&s.byEmail, now: now) }
        if s.byAddress.count > maxKeys { prune(&s.byAddress, now: now) }
        s.byEmail[email, default: []].append(now)
        if let address { s.byAddress[address, default: []].append(now) }
    }

    /// Records a failed attempt.
    public func recordFailure(email: String, address: String?, now: Int64) {
        state.withLock { s in record(&s, email: email, address: address, now: now) }
    }

    func blocked(_ map: inout [String: [Int64]], key: String, limit: Int, now: Int64) -> Int64? {
        guard var times = map[key] else { return nil }
        times.removeAll { $0 <= now - window }
        map[key] = times.isEmpty ? nil : times
        guard times.count >= limit, let oldest = times.first else { return nil }
        return oldest + window - now
    }

    func prune(_ map: inout [String: [Int64]], now: Int64) {
        map = map.compactMapValues { times in
            let kept = times.filter { $0 > now - window }
            return kept.isEmpty ? nil : kept
        }
    }
}
