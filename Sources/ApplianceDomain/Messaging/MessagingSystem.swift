import Logging

/// The scheduler and dispatcher wired together over a registry: at start every tenant turns
/// messages left `sending` by a crash into `unknown` and arms its scheduled jobs; due jobs go
/// from the scheduler to the dispatcher.
public struct MessagingSystem: Sendable {
    public let scheduler: MessageScheduler
    public let dispatcher: MessageDispatcher

    /// The providers of this build: `log`, `cloud` (Graph API at `graphURL`), and `web` (the
    /// WhatsApp Web module's provider; without one, `web` jobs are held).
    /// `timeoutMillis` bounds one Cloud API request (tests make it small).
    public static func providers(graphURL: String, transport: any HTTPTransport, timeoutMillis: Int64 = 15_000,
                                 web: (any MessageProvider)? = nil) -> [Settings.Provider: any MessageProvider] {
        [
            .log: LogProvider(),
            .cloud: CloudAPIProvider(graphURL: graphURL, transport: transport, timeoutMillis: timeoutMillis),
            .web: web ?? UnavailableProvider(name: "web", reason: "WhatsApp Web sending is not available in this version; choose the Cloud API or the log provider"),
        ]
    }

    /// Recovers every tenant's jobs and connects `scheduler` to a new dispatcher.
    /// `scheduler` must be the `jobs` sink of the registry's tenant context.
    public static func start(registry: TenantRegistry, scheduler: MessageScheduler, clock: any SchedulerClock,
                             providers: [Settings.Provider: any MessageProvider], logger: Logger,
                             limits: [Settings.Provider: MessageDispatcher.Limits] = MessageDispatcher.defaultLimits) async -> MessagingSystem {
        var armed = 0
        for tenant in registry.readyTenants {
            do {
                armed += try await tenant.recoverMessages()
            } catch {
                logger.error("cannot recover messages", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
        let dispatcher = MessageDispatcher(registry: registry, providers: providers, limits: limits, clock: clock,
                                           scheduler: scheduler, logger: logger)
        scheduler.setHandler { keys in Task { await dispatcher.submit(keys) } }
        logger.info("messaging ready", metadata: ["jobs_armed": "\(armed)"])
        return MessagingSystem(scheduler: scheduler, dispatcher: dispatcher)
    }
}
