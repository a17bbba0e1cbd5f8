import Foundation

extension Settings {
    /// When the confirmation for an order created at `createdAt` is due: created + delay
    /// (arrival `now` when `createdAt` is in the future), moved to the end of the quiet window
    /// in the tenant's timezone.
    public func scheduledAt(createdAt: Int64, now: Int64) -> Int64 {
        let base = createdAt > now ? now : createdAt
        let due = base + Int64((confirmationDelayMinutes * 60_000).rounded())
        return outsideQuietHours(due)
    }

    /// `ms` itself, or the end of the quiet window that contains it.
    public func outsideQuietHours(_ ms: Int64) -> Int64 {
        guard let quiet = quietHours, let start = Self.minutes(quiet.start), let end = Self.minutes(quiet.end), start != end,
              let tz = TimeZone(identifier: timezone) else { return ms }
        let offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(ms) / 1000))) * 1000
        let local = ms + offset
        let dayMs: Int64 = 86_400_000
        let dayStart = local >= 0 ? local / dayMs * dayMs : (local - dayMs + 1) / dayMs * dayMs
        let minute = Int((local - dayStart) / 60_000)
        let inWindow = start < end ? (minute >= start && minute < end) : (minute >= start || minute < end)
        guard inWindow else { return ms }
        var endLocal = dayStart + Int64(end) * 60_000
        if endLocal <= local { endLocal += dayMs }
        let endOffset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(endLocal - offset) / 1000))) * 1000
        return endLocal - endOffset
    }

    /// Minutes after midnight of "HH:MM", or nil.
    public static func minutes(_ hhmm: String) -> Int? {
        let parts = hhmm.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        return h * 60 + m
    }
}
