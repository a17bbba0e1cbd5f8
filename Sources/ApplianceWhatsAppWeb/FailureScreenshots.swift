import Foundation
import Logging
import WebDriver

/// Screenshots of failed steps, saved in the tenant's folder as `web-error-<UTC time>.png`
/// (mode 0600), at most `keep` per tenant (the oldest are deleted).
struct FailureScreenshots: Sendable {
    let directory: String
    let keep: Int
    let logger: Logger

    static let prefix = "web-error-"

    /// Saves what `session` shows; returns the file name, or nil when it could not be taken.
    func save(_ session: WebDriverSession) async -> String? {
        let png: Data
        do {
            png = try await session.screenshot()
        } catch {
            logger.warning("no failure screenshot", metadata: ["directory": "\(directory)", "error": "\(error)"])
            return nil
        }
        let name = Self.prefix + Self.stamp(Date()) + ".png"
        let path = directory + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: png, attributes: [.posixPermissions: 0o600]) else {
            logger.warning("cannot write the failure screenshot", metadata: ["path": "\(path)"])
            return nil
        }
        prune()
        return name
    }

    /// `20260302T101500.123Z`.
    static func stamp(_ date: Date) -> String {
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { String(format: "%02d", v ?? 0) }
        return "\(c.year ?? 0)\(two(c.month))\(two(c.day))T\(two(c.hour))\(two(c.minute))\(two(c.second)).\(String(format: "%03d", Int(ms % 1000)))Z"
    }

    func prune() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let shots = names.filter { $0.hasPrefix(Self.prefix) && $0.hasSuffix(".png") }.sorted()
        for name in shots.dropLast(max(keep, 1)) { try? FileManager.default.removeItem(atPath: directory + "/" + name) }
    }
}
