import Foundation
import Dispatch
import Hummingbird
import Logging

/// Gives every request an id (the proxy's `X-Request-Id` when it is sane, else Hummingbird's),
/// echoes it in the response, puts it in the request's logger metadata, and logs the request's
/// end: method, path without the query (tokens travel there), status and duration. Never
/// bodies, headers or query strings, so no secret or customer phone number reaches the log.
///
/// Levels: 5xx `error`; refused webhooks (401, 404, 413) `notice`, since they explain
/// "orders not appearing"; everything else `debug`.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Hummingbird gives each request's logger an `hb.request.id`; a sane id from the proxy
        // replaces it (one metadata change, made only then: each costs a copy of the metadata).
        let id: String
        if let proxied = request.headers[.requestID].flatMap(Self.sane) {
            id = proxied
            context.logger[metadataKey: Self.metadataKey] = .string(id)
        } else {
            id = context.logger[metadataKey: Self.metadataKey]?.description ?? Self.newID()
        }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = id
            log(request, context, status: response.status.code, start: start)
            return response
        } catch let error as any HTTPResponseError {
            log(request, context, status: error.status.code, start: start)
            throw RequestIDError(base: error, requestID: id)
        }
    }

    func log(_ request: Request, _ context: Context, status: Int, start: UInt64) {
        // The path is read only for a line that may be written (reading it builds a string).
        Self.log(context.logger, method: request.method, status: status, start: start) { request.uri.path }
    }

    /// The request's end at its level (see the type's notes); `path` is read only when the line
    /// is written. Shared with ``WebhookChannelHandler``, which answers deliveries itself.
    static func log(_ logger: Logger, method: HTTPRequest.Method, status: Int, start: UInt64, path: () -> String) {
        let level: Logger.Level
        if status >= 500 {
            level = .error
        } else if status == 401 || status == 404 || status == 413, path().hasPrefix("/api/v1/webhooks/") {
            level = .notice
        } else {
            level = .debug
        }
        guard logger.logLevel <= level else { return }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        logger.log(level: level, "request", metadata: [
            "method": .string(method.rawValue), "path": .string(path()), "status": .stringConvertible(status),
            "ms": .string(String(format: "%.2f", ms)),
        ])
    }

    /// The logger metadata key of the request id (Hummingbird's own).
    static var metadataKey: String { "hb.request.id" }

    /// An id from the proxy is kept when it is 1–64 letters, digits, `-` or `_`.
    static func sane(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count <= 64 else { return nil }
        let ok = id.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x2D || c == 0x5F
        }
        return ok ? id : nil
    }

    static func newID() -> String {
        var g = SystemRandomNumberGenerator()
        let a = g.next() as UInt64
        return String(a, radix: 16)
    }
}

/// An error response that also carries the request id header.
struct RequestIDError: HTTPResponseError {
    let base: any HTTPResponseError
    let requestID: String

    var status: HTTPResponse.Status { base.status }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try base.response(from: request, context: context)
        response.headers[.requestID] = requestID
        return response
    }
}
