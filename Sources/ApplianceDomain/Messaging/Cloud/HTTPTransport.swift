/// The outbound HTTP seam of the Cloud API provider, so tests can inject failures and the real
/// client stays swappable.
public protocol HTTPTransport: Sendable {
    /// POSTs `body` and reports what is known about its fate.
    func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult
}

/// What happened to one request.
public enum TransportResult: Sendable, Equatable {
    /// The server answered.
    case response(status: Int, body: [UInt8])
    /// The request never left (no connection could be made): safe to retry.
    case notSent(String)
    /// The request may have reached the server (timeout or connection lost after sending).
    case lost(String)
}
