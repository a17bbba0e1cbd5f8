#if canImport(Glibc)
import Glibc
#endif

/// Names of scheduled backups: `backup-YYYYMMDD-HHMMSS.tar.gz` in UTC, so that sorting the
/// names sorts the backups by age.
public enum BackupName {
    static let prefix = "backup-"
    static let suffix = ".tar.gz"

    /// The name of a backup made at `ms` (milliseconds since 1970, UTC).
    public static func make(at ms: Int64) -> String {
        var seconds = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let date = "\(parts.tm_year + 1900)\(two(parts.tm_mon + 1))\(two(parts.tm_mday))"
        let time = "\(two(parts.tm_hour))\(two(parts.tm_min))\(two(parts.tm_sec))"
        return prefix + date + "-" + time + suffix
    }

    /// When the backup named `name` was made (ms since 1970), or nil when `name` is not a backup name.
    public static func parse(_ name: String) -> Int64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let stamp = Array(name.dropFirst(prefix.count).dropLast(suffix.count).utf8)
        guard stamp.count == 15, stamp[8] == UInt8(ascii: "-") else { return nil }
        let digits = stamp[0..<8] + stamp[9..<15]
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        func value(_ range: Range<Int>) -> Int32 {
            Int32(range.reduce(0) { $0 * 10 + Int(digits[digits.startIndex + $1] - 0x30) })
        }
        var parts = tm()
        parts.tm_year = value(0..<4) - 1900
        parts.tm_mon = value(4..<6) - 1
        parts.tm_mday = value(6..<8)
        parts.tm_hour = value(8..<10)
        parts.tm_min = value(10..<12)
        parts.tm_sec = value(12..<14)
        guard (0...11).contains(parts.tm_mon), (1...31).contains(parts.tm_mday), parts.tm_hour < 24, parts.tm_min < 60, parts.tm_sec < 61 else {
            return nil
        }
        return Int64(timegm(&parts)) * 1000
    }
}
