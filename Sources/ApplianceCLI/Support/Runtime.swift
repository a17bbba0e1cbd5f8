import ApplianceDomain
import ApplianceServer
import ApplianceStorage
import Foundation
import Logging

/// Opening the data directory for a command that writes it while `serve` is not running.
enum Runtime {
    /// Takes the data directory's lock (refused while `serve` holds it), then opens the
    /// appliance without messaging. `initialize` creates a missing data root first.
    static func openOffline(dataDir: String, label: String, initialize: Bool) async throws -> (Appliance, DataDirectoryLock) {
        let data = DataDirectory(root: dataDir)
        if initialize { try data.initialize() } else { try data.checkFormat() }
        let lock = try DataDirectoryLock(root: data.root)
        var options = ApplianceOptions.offline(dataDir: dataDir)
        options.initialize = false
        let appliance = try await Appliance.open(options, ApplianceDependencies(logger: .cli(label, level: "warning")))
        return (appliance, lock)
    }
}

extension Logger {
    /// A stderr logger at `level` (or `LOG_LEVEL`); one JSON object per line when
    /// `LOG_FORMAT=json`, else swift-log's text lines (``TextLogHandler``).
    static func cli(_ label: String, level: String? = nil) -> Logger {
        var logger = Environment.string("LOG_FORMAT", "text") == "json"
            ? Logger(label: label, factory: { JSONLogHandler(label: $0) })
            : Logger(label: label, factory: { TextLogHandler(label: $0) })
        logger.logLevel = Logger.Level(rawValue: level ?? Environment.string("LOG_LEVEL", "info")) ?? .info
        return logger
    }
}
