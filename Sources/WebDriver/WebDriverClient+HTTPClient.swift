import AsyncHTTPClient
import NIOCore

extension WebDriverClient {
    /// The HTTP client used unless another is passed. Tuned for a driver on loopback: a refused
    /// connection (the driver is gone) fails at once instead of being retried until a timeout,
    /// connecting may take at most 5 s, no redirects, HTTP/1.1. Never shut down.
    public static let defaultHTTPClient: HTTPClient = {
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        pool.idleTimeout = .seconds(30)
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)),
                                                     connectionPool: pool)
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
