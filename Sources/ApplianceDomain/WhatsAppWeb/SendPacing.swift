/// A provider that paces each tenant's sends (WhatsApp Web: a minimum gap with jitter and
/// hourly and daily caps, against bans). The dispatcher asks before it starts an attempt; when
/// the answer lies in the future it re-arms the job for that time, so the job stays `scheduled`
/// and nothing is journaled while it waits.
public protocol SendPacing: Sendable {
    /// The earliest time (ms since 1970) the tenant may send its next message, or nil for now.
    func earliestSend(tenantID: Int, now: Int64) async -> Int64?
}
