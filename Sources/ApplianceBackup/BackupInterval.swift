import Foundation

/// Parses backup intervals such as `24h`, `30m`, `1h30m`, `7d` or `90s` (a bare number is
/// seconds) into milliseconds.
public enum BackupInterval {
    /// The interval in milliseconds; throws ``BackupError/Code/invalid`` for anything else or for zero.
    public static func parse(_ text: String) throws(BackupError) -> Int64 {
        let invalid = BackupError(.invalid, "backup interval \"\(text)\" is not a duration like 24h, 30m, 1h30m or 7d")
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard !trimmed.isEmpty else { throw invalid }
        if let seconds = Int64(trimmed) {
            guard seconds > 0 else { throw invalid }
            return seconds * 1000
        }
        var total: Int64 = 0
        var number: Int64?
        for ch in trimmed {
            if let digit = ch.wholeNumberValue, ch.isASCII {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(digit))
                guard !o1, !o2 else { throw invalid }
                number = a
                continue
            }
            guard let n = number else { throw invalid }
            let unit: Int64
            switch ch {
            case "d": unit = 86_400_000
            case "h": unit = 3_600_000
            case "m": unit = 60_000
            case "s": unit = 1000
            default: throw invalid
            }
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { throw invalid }
            total = sum
            number = nil
        }
        guard number == nil, total > 0 else { throw invalid }
        return total
    }
}
