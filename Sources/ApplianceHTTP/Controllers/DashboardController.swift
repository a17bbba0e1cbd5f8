import ApplianceDashboard
import Foundation
import Hummingbird
import NIOCore

/// The browser dashboard: `/` and any other page path → `index.html`, `/assets/<file>` → the
/// file. Every response carries a strict Content-Security-Policy (no inline script), the usual
/// security headers and a content `ETag`; a matching `If-None-Match` answers 304.
struct DashboardController {
    let assets: DashboardAssets
    /// `index.html` naming its assets under `/assets/v/<version>/` (embedded assets only).
    let versionedPage: DashboardAsset?
    /// The assets' fingerprint, computed once (not per request).
    let version: String?

    init(assets: DashboardAssets) {
        self.assets = assets
        version = assets.version
        if let version, let index = assets.asset(named: "index.html") {
            let html = String(decoding: index.bytes, as: UTF8.self)
                .replacingOccurrences(of: "\"/assets/", with: "\"/assets/v/\(version)/")
            versionedPage = DashboardAsset(name: "index.html", bytes: Array(html.utf8))
        } else {
            versionedPage = nil
        }
    }

    /// The Content-Security-Policy of every dashboard response.
    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; "
        + "font-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/") { request, _ in page(request) }
        router.head("/") { request, _ in page(request) }
        router.get("assets/:name") { request, context in try asset(request, context) }
        router.head("assets/:name") { request, context in try asset(request, context) }
        // Fingerprinted URLs: cached for good (relative module imports stay under the prefix).
        router.get("assets/v/:version/:name") { request, context in try asset(request, context) }
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
        let immutable = context.parameters.get("version").map { $0 == version } ?? false
        return respond(asset, request: request, immutable: immutable)
    }

    func page(_ request: Request) -> Response {
        guard let index = versionedPage ?? assets.asset(named: "index.html") else {
            return Response(status: .notFound, headers: Self.headers(contentType: "text/plain; charset=utf-8"),
                            body: .init(byteBuffer: ByteBuffer(string: "dashboard not built into this binary\n")))
        }
        return respond(index, request: request)
    }

    func respond(_ asset: DashboardAsset, request: Request, immutable: Bool = false) -> Response {
        var headers = Self.headers(contentType: asset.contentType)
        headers[.eTag] = asset.etag
        headers[.cacheControl] = immutable ? "public, max-age=31536000, immutable" : "no-cache"
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
