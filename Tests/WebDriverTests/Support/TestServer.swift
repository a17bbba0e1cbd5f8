import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A Hummingbird server on 127.0.0.1 (an ephemeral port) serving fixed HTML pages by path.
struct TestServer: Sendable {
    /// `http://127.0.0.1:<port>`.
    let baseURL: String

    /// Runs `body` with a server for `pages` (path → HTML), stopping it afterwards.
    static func with<T>(_ pages: [String: String] = TestPages.all, isolation: isolated (any Actor)? = #isolation,
                        _ body: (TestServer) async throws -> T) async throws -> T {
        let router = Router()
        let serve: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
            guard let html = pages[request.uri.path] else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        }
        // "**" needs at least one path component, so the root gets its own route.
        router.get("/", use: serve)
        router.get("**", use: serve)
        let (ports, portsContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "webdriver-test"),
            onServerRunning: { channel in
                portsContinuation.yield(channel.localAddress?.port ?? 0)
                portsContinuation.finish()
            },
            logger: Logger(label: "webdriver-test-server", factory: { _ in SwiftLogNoOpLogHandler() }))
        let run = Task {
            defer { portsContinuation.finish() }
            try await app.run()
        }
        defer { run.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw HarnessError("the test HTTP server did not start") }
        return try await body(TestServer(baseURL: "http://127.0.0.1:\(port)"))
    }

    /// The URL of `path` (which starts with `/`).
    func url(_ path: String) -> String { baseURL + path }
}
