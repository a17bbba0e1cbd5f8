import ApplianceDomain
import Foundation
import Hummingbird

/// `/api/v1/admin/settings` and `/api/v1/admin/analytics`.
struct SettingsController {
    let services: ApplianceServices
    let options: ServerOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings") { request, _ in try await show(request) }
        group.put("settings") { request, _ in try await update(request) }
        group.get("analytics") { request, _ in try await analytics(request) }
    }

    func show(_ request: Request) async throws -> Response {
        let tenant = try await services.tenant(for: request)
        return try JSONResponse.make(SettingsJSON(settings: await tenant.settings, webhookURL: options.webhookURL(for: tenant.id),
                                                  shopDomain: await tenant.shopDomain))
    }

    func update(_ request: Request) async throws -> Response {
        let tenant = try await services.tenant(for: request)
        var request = request
        let patch = try await request.decodeJSON([String: JSONValue].self, limit: options.maxJSONBytes, what: "settings fields")
        let (settings, commit) = try await tenant.updateSettings(patch)
        try await commit.durable()
        return try JSONResponse.make(SettingsJSON(settings: settings, webhookURL: options.webhookURL(for: tenant.id),
                                                  shopDomain: await tenant.shopDomain))
    }

    func analytics(_ request: Request) async throws -> Response {
        let tenant = try await services.tenant(for: request)
        var days = 30
        if let raw = request.uri.queryParameters["days"] {
            guard let d = Int(String(raw)), (1...366).contains(d) else {
                throw APIError(status: .unprocessableContent, code: "invalid", message: "days must be an integer from 1 to 366")
            }
            days = d
        }
        return try JSONResponse.make(AnalyticsJSON(a: await tenant.analytics(days: days)))
    }
}
