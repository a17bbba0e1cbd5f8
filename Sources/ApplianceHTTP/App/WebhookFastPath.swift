import Hummingbird

/// The responder in front of the router: a Shopify delivery (`POST /api/v1/webhooks/{user_id}`
/// or `…/{user_id}/{resource}/{action}`) goes straight to ``WebhookController`` through the same
/// two middlewares the router applies, without the route tree's lookup (a path split into
/// strings and a parameter table per request: a few per cent of the server's CPU per order at
/// full ingest). Everything else, and any webhook path this plain matcher does not take (empty
/// segments, percent escapes, other methods), goes to the router, where the same routes are
/// registered, so the answers are the router's.
struct WebhookFastPath<Router: HTTPResponder>: HTTPResponder where Router.Context == AppRequestContext {
    typealias Context = AppRequestContext

    let router: Router
    let webhooks: WebhookController

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        guard request.method == .post, let route = WebhookPath(request.uri.path) else {
            return try await router.respond(to: request, context: context)
        }
        // The route's name for the metrics and traces (a box the context shares).
        context.coreContext.endpointPath.value = route.topic == nil ? "/api/v1/webhooks/{user_id}" : "/api/v1/webhooks/{user_id}/{resource}/{action}"
        do {
            return try await RequestLogMiddleware<AppRequestContext>().handle(request, context: context) { request, context in
                try await ErrorMiddleware<AppRequestContext>().handle(request, context: context) { request, context in
                    try await webhooks.receive(request, context, userID: route.userID, topic: route.topic)
                }
            }
        } catch let error as any HTTPResponseError {
            // As the router does: an error that knows its response becomes it.
            return try error.response(from: request, context: context)
        }
    }
}

/// The two shapes of a webhook path, read without allocating more than its parts.
struct WebhookPath {
    static let prefix = Array("/api/v1/webhooks/".utf8)

    /// The `{user_id}` segment as written.
    let userID: Substring
    /// `resource/action`, or nil for the topic-in-header form.
    let topic: String?

    /// Nil for anything but `/api/v1/webhooks/{a}` or `/api/v1/webhooks/{a}/{b}/{c}` with
    /// non-empty segments free of `%`.
    init?(_ path: String) {
        let utf8 = path.utf8
        guard utf8.starts(with: Self.prefix) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: Self.prefix.count)
        // One pass: where the slashes are, and no `%`.
        var first: String.Index?
        var second: String.Index?
        var i = start
        while i != utf8.endIndex {
            switch utf8[i] {
            case UInt8(ascii: "%"): return nil
            case UInt8(ascii: "/"):
                if first == nil { first = i } else if second == nil { second = i } else { return nil }
            default: break
            }
            i = utf8.index(after: i)
        }
        switch (first, second) {
        case (nil, _):
            guard start != utf8.endIndex else { return nil }
            (userID, topic) = (path[start...], nil)
        case let (first?, second?):
            // Non-empty segments: something before each slash and after the last.
            guard first != start, utf8.index(after: first) != second, utf8.index(after: second) != utf8.endIndex else { return nil }
            (userID, topic) = (path[start..<first], String(path[utf8.index(after: first)...]))
        default:
            return nil
        }
    }
}
