import ApplianceDomain
import Logging
import ServiceLifecycle

/// The dispatcher as a service of the application's group: it starts messaging once the HTTP
/// server listens, and at shutdown (after the server has stopped) disconnects the scheduler and
/// lets the sends in flight finish and journal their outcome before WhatsApp Web, the scheduler
/// and the journals stop after it.
struct MessagingService: Service, CustomStringConvertible {
    let appliance: Appliance
    let serverRunning: AsyncStream<Void>
    var description: String { "MessagingService" }

    func run() async throws {
        // Nothing to do when the group stops before the server ever listened.
        let listening: Bool = await cancelWhenGracefulShutdown {
            for await _ in serverRunning { return true }
            return false
        } ?? false
        guard listening, !Task.isShuttingDownGracefully, let system = await appliance.startMessaging() else { return }
        try? await gracefulShutdown()
        system.scheduler.setHandler { _ in }
        await system.dispatcher.finishInFlight()
        await appliance.writeBacks?.finishInFlight()
        appliance.dependencies.logger.info("messaging stopped")
    }
}
