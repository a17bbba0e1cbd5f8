import ApplianceHTTP
import Hummingbird
import ServiceLifecycle

/// The whole application on top of an ``Appliance``: the HTTP server (routes and the live
/// WebSocket) and, in one service group, the journals, the scheduler, WhatsApp Web, the
/// dispatcher and `extraServices` (scheduled backups). They start in that order and stop in the
/// reverse one: the server first, the journals last.
public func buildApplication(_ appliance: Appliance, extraServices: [any Service] = []) -> some ApplicationProtocol {
    let options = appliance.options
    let (serverRunning, signal) = AsyncStream.makeStream(of: Void.self)
    var services: [any Service] = []
    if options.closeOnShutdown { services.append(StoreService(appliance: appliance)) }
    if options.schedulerLoop, let scheduler = appliance.scheduler { services.append(scheduler) }
    if let web = appliance.whatsAppWeb { services.append(web) }
    // With a manual clock (tests) the caller starts and ticks messaging itself.
    if options.messaging, options.schedulerLoop {
        services.append(MessagingService(appliance: appliance, serverRunning: serverRunning))
    }
    services += extraServices
    return ApplianceApplication.build(
        services: appliance.services, options: options.server, lifecycleServices: services, logger: appliance.dependencies.logger,
        onServerRunning: { _ in
            signal.yield()
            signal.finish()
        })
}
