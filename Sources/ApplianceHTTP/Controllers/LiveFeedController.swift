import ApplianceDomain
import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// `GET /ws/orders?token=<jwt>`: the live feed of the token's tenant. A missing, bad or expired
/// token is refused with 401 before the upgrade; a token that expires while connected closes
/// the socket with 4401; a socket that cannot keep up is closed with 1013.
struct LiveFeedController {
    let services: ApplianceServices

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("/ws/orders") { request, _ in
            _ = try await authenticate(request)
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            guard let (tenant, claims) = try? await authenticate(context.request) else {
                try await outbound.close(.init(codeNumber: 4401), reason: "unauthorized")
                return
            }
            try await serve(tenantID: tenant.id, expiresAt: claims.expiresAt, inbound: inbound, outbound: outbound, logger: context.logger)
        }
    }

    /// `GET /ws/orders` on the HTTP router: a handshake the upgrade gate refused arrives here as a
    /// plain request and is answered 401; a good token without a handshake gets 426.
    func addRefusalRoute(to router: Router<AppRequestContext>) {
        router.get("/ws/orders") { request, _ -> Response in
            _ = try await authenticate(request)
            throw APIError(status: .upgradeRequired, code: "upgrade_required", message: "this is a WebSocket endpoint")
        }
    }

    func authenticate(_ request: Request) async throws -> (Tenant, TokenSigner.Claims) {
        guard let token = request.uri.queryParameters["token"].map(String.init) ?? request.bearerToken else {
            throw HTTPError(.unauthorized, message: "token query parameter is required")
        }
        do {
            return try await services.accounts.authenticate(token: token)
        } catch {
            throw HTTPError(.unauthorized, message: error.message)
        }
    }

    enum Ending: Sendable { case clientClosed, overflow, expired, feedEnded }

    func serve(tenantID: Int, expiresAt: Int64, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, logger: Logger) async throws {
        let subscription = services.feed.subscribe(tenantID: tenantID)
        defer { services.feed.unsubscribe(subscription) }
        let clock = services.clock
        let ending = await withTaskGroup(of: Ending.self) { group in
            group.addTask {
                // Drain the inbound side so close frames and pongs are processed.
                do { for try await _ in inbound.messages(maxSize: 64 << 10) {} } catch {}
                return .clientClosed
            }
            group.addTask {
                for await frame in subscription.frames {
                    do { try await outbound.write(.text(frame)) } catch { return .clientClosed }
                }
                return subscription.overflowed ? .overflow : .feedEnded
            }
            group.addTask {
                let remaining = expiresAt * 1000 - clock.now()
                try? await Task.sleep(for: .milliseconds(max(0, remaining)))
                return Task.isCancelled ? .clientClosed : .expired
            }
            let first = await group.next() ?? .clientClosed
            group.cancelAll()
            services.feed.unsubscribe(subscription)
            return first
        }
        switch ending {
        case .overflow:
            logger.notice("live feed client too slow; closing", metadata: ["tenant": "\(tenantID)"])
            try? await outbound.close(.init(codeNumber: 1013), reason: "too slow")
        case .expired:
            try? await outbound.close(.init(codeNumber: 4401), reason: "token expired")
        case .feedEnded:
            try? await outbound.close(.goingAway, reason: "server shutting down")
        case .clientClosed:
            break
        }
    }
}
