import ApplianceDashboard
import ApplianceDomain
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceLifecycle

/// Builds the HTTP application: JSON API, Shopify webhooks, the live WebSocket and health.
public enum ApplianceApplication {
    /// The router with every HTTP route (no WebSocket).
    public static func buildRouter(services: ApplianceServices, options: ServerOptions) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestLogMiddleware())
        router.add(middleware: ErrorMiddleware())
        router.get("healthz") { _, _ in
            try JSONResponse.make(["status": "ok"])
        }
        let api = router.group("api/v1")
        AuthController(services: services, options: options).addRoutes(to: api.group("auth"))
        let admin = api.group("admin")
        OrdersController(repository: services.registry, authenticator: services.accounts, cursors: services.cursors, options: options)
            .addRoutes(to: admin)
        SettingsController(repository: services.registry, authenticator: services.accounts, options: options).addRoutes(to: admin)
        WebhookController(services: services, options: options).addRoutes(to: api.group("webhooks"))
        let whatsapp = WhatsAppController(services: services, options: options)
        whatsapp.addAdminRoutes(to: admin)
        ShopifyController(services: services).addRoutes(to: admin)
        whatsapp.addCallbackRoutes(to: api.group("whatsapp"))
        LiveFeedController(services: services).addRefusalRoute(to: router)
        let assets = options.dashboardDirectory.map(DashboardAssets.init(directory:)) ?? .builtIn
        if let registry = services.metrics {
            WebhookMetrics.register()
            MetricsController(registry: registry, token: options.metricsToken, services: services).addRoutes(to: router)
        }
        DashboardController(assets: assets).addRoutes(to: router)
        return router
    }

    /// The WebSocket router (`/ws/orders`).
    public static func buildWebSocketRouter(services: ApplianceServices) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        LiveFeedController(services: services).addRoutes(to: router)
        return router
    }

    /// The whole application, with `services` run beside the server (started before it,
    /// stopped after it, so journals flush once requests have drained).
    public static func build(
        services: ApplianceServices, options: ServerOptions, lifecycleServices: [any Service], logger: Logger,
        onServerRunning: (@Sendable (any Channel) async -> Void)? = nil
    ) -> some ApplicationProtocol {
        var app = Application(
            responder: WebhookFastPath(router: buildRouter(services: services, options: options).buildResponder(),
                                       webhooks: WebhookController(services: services, options: options)),
            server: webSocketServer(services: services, options: options, logger: logger),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: onServerRunning ?? { _ in },
            logger: logger)
        for service in lifecycleServices { app.addServices(service) }
        return app
    }
}

import NIOCore
