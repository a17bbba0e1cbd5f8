import ApplianceDomain
import Hummingbird

/// `/api/v1/auth`: sign-up, log-in, me.
struct AuthController {
    let services: ApplianceServices
    let options: ServerOptions

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("signup") { request, context in try await signup(request, context) }
        group.post("login") { request, context in try await login(request, context) }
        group.get("me") { request, _ in try await me(request) }
    }

    func signup(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(SignupJSON.self, limit: options.maxJSONBytes, what: "email and password")
        let session = try await services.accounts.signup(email: body.email, password: body.password, invite: body.invite,
                                                         clientAddress: clientAddress(request, context))
        return try JSONResponse.make(Self.json(session), status: .created)
    }

    func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        var request = request
        let body = try await request.decodeJSON(CredentialsJSON.self, limit: options.maxJSONBytes, what: "email and password")
        let session = try await services.accounts.login(email: body.email, password: body.password,
                                                        clientAddress: clientAddress(request, context))
        return try JSONResponse.make(Self.json(session))
    }

    func me(_ request: Request) async throws -> Response {
        let tenant = try await services.tenant(for: request)
        guard let account = await tenant.account else { throw APIError(status: .notFound, code: "not_found", message: "no account") }
        return try JSONResponse.make(MeJSON(id: account.id, email: account.email, webhook_url: options.webhookURL(for: account.id)))
    }

    func clientAddress(_ request: Request, _ context: AppRequestContext) -> String? {
        if options.trustProxy, let peer = context.remoteAddress, peer == "127.0.0.1" || peer == "::1",
           let forwarded = request.headers[.init("X-Forwarded-For")!],
           let last = forwarded.split(separator: ",").last {
            return last.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress
    }

    static func json(_ s: AccountService.Session) -> SessionJSON {
        SessionJSON(access_token: s.token, user: .init(id: s.account.id, email: s.account.email))
    }
}

import Foundation
