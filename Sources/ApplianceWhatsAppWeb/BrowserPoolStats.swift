/// Counters of the browser pool (metrics, tests, benchmarks).
public struct BrowserPoolStats: Sendable, Equatable {
    /// Chromes started so far.
    public var launches = 0
    /// Leases served by a browser that was already open (a batch going on).
    public var reuses = 0
    /// Most Chromes running at once (starting and closing ones included).
    public var peak = 0
    /// Chromes running now.
    public var running = 0
}
