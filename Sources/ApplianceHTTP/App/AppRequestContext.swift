import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: Hummingbird's core storage plus the client address
/// (for login throttling).
public struct AppRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The connection, for ``remoteAddress``.
    let channel: any Channel
    /// The peer's IP address, as the socket reports it (worked out when asked: most routes never
    /// ask, and formatting it costs on every request).
    public var remoteAddress: String? { channel.remoteAddress?.ipAddress }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.channel = source.channel
    }

    /// Bodies are read explicitly with their own limits; decoding is capped at 1 MiB.
    public var maxUploadSize: Int { 1 << 20 }
}
