import ApplianceCoding
import ApplianceDomain
import Foundation
import Hummingbird

/// `/api/v1/admin/settings`, the message preview and `/api/v1/admin/analytics`.
struct SettingsController<Repository: SettingsRepository, Authenticator: TenantAuthenticator> {
    let repository: Repository
    let authenticator: Authenticator
    let options: ServerOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("settings") { request, _ in try await show(request) }
        group.put("settings") { request, _ in try await update(request) }
        group.get("analytics") { request, _ in try await analytics(request) }
        group.post("messages/preview") { request, _ in try await preview(request) }
    }

    struct PreviewBody: Decodable {
        let message_template: String?
        let confirmation_mode: String?
    }

    struct PreviewJSON: Encodable {
        let text: String
        let order_id: String?

        enum CodingKeys: String, CodingKey { case text, order_id }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(text, forKey: .text)
            try c.encode(order_id, forKey: .order_id)
        }
    }

    /// `POST messages/preview {message_template?, confirmation_mode?}` → `{text, order_id}`: the
    /// template rendered with the newest order (the saved settings fill what is not given).
    func preview(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        var request = request
        let body = try await request.decodeJSON(PreviewBody.self, limit: options.maxJSONBytes, what: "preview fields")
        var mode: Settings.ConfirmationMode?
        if let raw = body.confirmation_mode {
            guard let m = Settings.ConfirmationMode(rawValue: raw) else {
                throw APIError(status: .unprocessableContent, code: "invalid", message: "confirmation_mode must be notify or ask")
            }
            mode = m
        }
        let preview = try await repository.previewMessage(template: body.message_template, mode: mode, tenantID: tenantID)
        return try JSONResponse.make(PreviewJSON(text: preview.text, order_id: preview.orderID.map { String($0) }))
    }

    func show(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        let (settings, shopDomain) = try await repository.settings(tenantID: tenantID)
        return try JSONResponse.make(SettingsJSON(settings: settings, webhookURL: options.webhookURL(for: tenantID), shopDomain: shopDomain))
    }

    func update(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        var request = request
        let patch = try await request.decodeJSON([String: JSONValue].self, limit: options.maxJSONBytes, what: "settings fields")
        let (settings, shopDomain) = try await repository.updateSettings(patch, tenantID: tenantID)
        return try JSONResponse.make(SettingsJSON(settings: settings, webhookURL: options.webhookURL(for: tenantID), shopDomain: shopDomain))
    }

    func analytics(_ request: Request) async throws -> Response {
        let tenantID = try await authenticator.tenantID(for: request)
        var days = 30
        if let raw = request.uri.queryParameters["days"] {
            guard let d = Int(String(raw)), (1...366).contains(d) else {
                throw APIError(status: .unprocessableContent, code: "invalid", message: "days must be an integer from 1 to 366")
            }
            days = d
        }
        return try JSONResponse.make(AnalyticsJSON(a: try await repository.analytics(days: days, tenantID: tenantID)))
    }
}
