import ApplianceDomain
import ApplianceHTTP
import ApplianceStorage
import Foundation
import Logging
import NIOPosix

/// The pieces every command that opens the data directory needs.
struct Runtime {
    let data: DataDirectory
    let pool: NIOThreadPool
    var context: TenantContext
    let feed: LiveFeed
    let logger: Logger

    /// Starts the storage thread pool and builds the tenant context for `dataDir`.
    static func make(dataDir: String, logger: Logger, storageThreads: Int = 4) -> Runtime {
        let pool = NIOThreadPool(numberOfThreads: storageThreads)
        pool.start()
        let feed = LiveFeed(render: LiveFrame.render, renderStatus: WhatsAppStatusFrame.render)
        let context = TenantContext(pool: pool, feed: feed, logger: logger, onFatal: { error in
            logger.critical("fsync failed: acknowledged data may not be on disk; stopping now", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("fatal: fsync failed: \(error)\n".utf8))
            exit(70)
        })
        return Runtime(data: DataDirectory(root: dataDir), pool: pool, context: context, feed: feed, logger: logger)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}

extension Logger {
    /// A stderr logger at `level` (or `LOG_LEVEL`); one JSON object per line when
    /// `LOG_FORMAT=json`, else swift-log's text lines.
    static func cli(_ label: String, level: String? = nil) -> Logger {
        var logger = Environment.string("LOG_FORMAT", "text") == "json"
            ? Logger(label: label, factory: { JSONLogHandler(label: $0) })
            : Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: level ?? Environment.string("LOG_LEVEL", "info")) ?? .info
        return logger
    }
}
