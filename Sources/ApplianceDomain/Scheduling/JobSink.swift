/// Where tenants put their confirmation jobs: arm one at an absolute due time, or disarm it.
/// The due time itself is journaled in the order (`message.scheduled_at`); the sink is only the
/// in-memory timer index, rebuilt at boot.
public protocol JobSink: Sendable {
    /// Arms (or re-arms) `key` to fire at `dueAt` (ms since 1970).
    func arm(_ key: JobKey, at dueAt: Int64)
    /// Disarms `key` if it is armed.
    func disarm(_ key: JobKey)
    /// Arms many jobs at once (a tenant's whole set at boot or on release of a hold).
    func arm(_ jobs: [(key: JobKey, dueAt: Int64)])
}

extension JobSink {
    public func arm(_ jobs: [(key: JobKey, dueAt: Int64)]) {
        for job in jobs { arm(job.key, at: job.dueAt) }
    }
}
