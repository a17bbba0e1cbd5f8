import ApplianceDashboard
import Foundation
import Hummingbird
import NIOCore

/// The browser dashboard: `/` and any other page path → `index.html`, `/assets/<file>` → the
/// file. Every response carries a strict Content-Security-Policy (no inline script), the usual
/// security headers and a content `ETag`; a matching `If-None-Match` answers 304.
struct DashboardController {
    let assets: DashboardAssets

    /// The Content-Security-Policy of every dashboard response.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; "
        + "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, _ in page(request) }
        router.head("/") { request, _ in page(request) }
        router.get("assets/:name") { request, context in try asset(request, context) }
        router.head("assets/:name") { request, context in try asset(request, context) }
        // Deep links (`/orders/123`, `/settings`): the single page handles them.
        router.get("**") { request, _ in
            let path = request.uri.path
            if path.hasPrefix("/api/") || path.hasPrefix("/ws/") || path == "/metrics" {
                throw Self.notFound("no such route")
            }
            return page(request)
        }
    }

    func asset(_ request: Request, _ context: AppRequestContext) throws -> Response {
        guard let asset = assets.asset(named: context.parameters.get("name") ?? "") else { throw Self.notFound("no such asset") }
        return respond(asset, request: request)
    }

    func page(_ request: Request) -> Response {
        guard let index = assets.asset(named: "index.html") else {
            return Response(status: .notFound, headers: Self.headers(contentType: "text/plain; charset=utf-8"),
                            body: .init(byteBuffer: ByteBuffer(string: "dashboard not built into this binary\n")))
        }
        return respond(index, request: request)
    }

    func respond(_ asset: DashboardAsset, request: Request) -> Response {
        var headers = Self.headers(contentType: asset.contentType)
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: {
            $0.trimmingCharacters(in: .whitespaces) == asset.etag || $0.trimmingCharacters(in: .whitespaces) == "*"
        }) {
            return Response(status: .notModified, headers: headers)
        }
        let body = request.method == .head ? ByteBuffer() : ByteBuffer(bytes: asset.bytes)
        headers[.contentLength] = String(asset.bytes.count)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: .notFound, code: "not_found", message: message)
    }

    static func headers(contentType: String) -> HTTPFields {
        [
            .contentType: contentType,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .referrerPolicy: "same-origin",
            .xFrameOptions: "DENY",
            .permissionsPolicy: "camera=(), microphone=(), geolocation=()",
            .crossOriginOpenerPolicy: "same-origin",
        ]
    }
}
