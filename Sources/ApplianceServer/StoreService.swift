import Logging
import ServiceLifecycle

/// Keeps the journals open while the server runs; on graceful shutdown, last of all the
/// services (after the HTTP server has drained and the sends in flight have been journaled),
/// flushes and closes them.
struct StoreService: Service, CustomStringConvertible {
    let appliance: Appliance
    var description: String { "StoreService" }

    func run() async throws {
        try? await gracefulShutdown()
        await appliance.close()
        appliance.dependencies.logger.info("journals flushed and closed")
    }
}
