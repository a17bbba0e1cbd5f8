import CoreMetrics
import Synchronization

/// What the domain reports through swift-metrics (a no-op until the server bootstraps a
/// backend): confirmation jobs, messages by provider and outcome, connected dashboards,
/// browsers running. Handles are made once per label set and reused.
public enum DomainMetrics {
    static let jobsPending = Gauge(label: "scheduler_jobs_pending")
    static let jobsFired = Counter(label: "scheduler_jobs_fired_total")
    /// Jobs fired more than one tick after they were due (overdue at boot, or the wheel fell behind).
    static let jobsLate = Counter(label: "scheduler_jobs_late_total")
    static let liveClients = Gauge(label: "websocket_clients")
    /// Chromes running for WhatsApp Web.
    public static let browsersRunning = Gauge(label: "browsers_running")

    /// Creates every series now, so a scrape lists them (at zero) before the first event.
    public static func register() {
        jobsPending.record(0)
        liveClients.record(0)
        browsersRunning.record(0)
        _ = (jobsFired, jobsLate)
    }

    private static let messageCounters = Mutex<[String: Counter]>([:])
    private static let writeBackCounters = Mutex<[String: Counter]>([:])
    private static let writeBackQueues = Mutex<[Int: Gauge]>([:])

    /// Counts one Shopify write-back outcome of a tenant (`done`, `failed`, `held`).
    public static func writeBack(tenantID: Int, outcome: String) {
        let key = "\(tenantID)\u{0}\(outcome)"
        let counter = writeBackCounters.withLock { counters in
            if let c = counters[key] { return c }
            let c = Counter(label: "shopify_writebacks_total", dimensions: [("tenant", "\(tenantID)"), ("outcome", outcome)])
            counters[key] = c
            return c
        }
        counter.increment()
    }

    /// The number of a tenant's orders with write-backs queued or in flight.
    public static func writeBackQueue(tenantID: Int, depth: Int) {
        let gauge = writeBackQueues.withLock { gauges in
            if let g = gauges[tenantID] { return g }
            let g = Gauge(label: "shopify_writeback_queue", dimensions: [("tenant", "\(tenantID)")])
            gauges[tenantID] = g
            return g
        }
        gauge.record(depth)
    }

    /// Counts one send attempt's outcome (`sent`, `retry`, `failed`, `unknown`, `hold`, `skipped`).
    public static func message(provider: String, outcome: String) {
        let key = provider + "\u{0}" + outcome
        let counter = messageCounters.withLock { counters in
            if let c = counters[key] { return c }
            let c = Counter(label: "messages_total", dimensions: [("provider", provider), ("outcome", outcome)])
            counters[key] = c
            return c
        }
        counter.increment()
    }
}

extension SendOutcome {
    /// The outcome's metrics label.
    var metricLabel: String {
        switch self {
        case .sent: "sent"
        case .retry: "retry"
        case .failed: "failed"
        case .unknown: "unknown"
        case .hold: "hold"
        }
    }
}
