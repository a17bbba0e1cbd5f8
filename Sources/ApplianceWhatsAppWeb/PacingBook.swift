import Synchronization

/// Every tenant's ``PacingLedger`` under one lock.
final class PacingBook: Sendable {
    let pacing: WebPacing
    private let ledgers = Mutex<[Int: PacingLedger]>([:])

    init(pacing: WebPacing) {
        self.pacing = pacing
    }

    /// When tenant `id` may send next, or nil for now.
    func earliest(tenantID: Int, now: Int64) -> Int64? {
        ledgers.withLock { $0[tenantID]?.earliest(now: now, pacing: pacing) }
    }

    /// Records a send of tenant `id` that reached WhatsApp (sent or unknown).
    func record(tenantID: Int, at now: Int64) {
        let jitter = Double.random(in: 0...1)
        ledgers.withLock { $0[tenantID, default: PacingLedger()].record(at: now, pacing: pacing, jitter: jitter) }
    }
}
