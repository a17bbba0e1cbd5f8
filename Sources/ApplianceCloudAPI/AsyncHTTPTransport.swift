import ApplianceDomain
import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// ``HTTPTransport`` on AsyncHTTPClient. Connection failures (refused, DNS, connect timeout)
/// are `notSent`; anything after the connection was made is `lost`.
public struct AsyncHTTPTransport: HTTPTransport {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(timeoutMillis))
            let buffer = try await response.body.collect(upTo: 1 << 20)
            return .response(status: Int(response.status.code), body: Array(buffer.readableBytesView))
        } catch {
            return Self.classify(error)
        }
    }

    static func classify(_ error: any Error) -> TransportResult {
        if error is NIOConnectionError { return .notSent("cannot connect: \(error)") }
        if let e = error as? HTTPClientError, e == .connectTimeout || e == .socksHandshakeTimeout || e == .tlsHandshakeTimeout {
            return .notSent("cannot connect: \(e)")
        }
        if let e = error as? IOError, [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(e.errnoCode) {
            return .notSent("cannot connect: \(e)")
        }
        if let e = error as? ChannelError, case .connectTimeout = e { return .notSent("connect timeout") }
        return .lost("\(error)")
    }
}
