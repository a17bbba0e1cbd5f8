import HTTPTypes
import HummingbirdTesting
import NIOCore

extension TestClientProtocol {
    /// Sends a request; `json` is sent as the body with a JSON content type, `token` as a bearer.
    public func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil,
                     body: [UInt8]? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            buffer = ByteBuffer(string: json)
        } else if let body {
            buffer = ByteBuffer(bytes: body)
        }
        return try await executeRequest(uri: uri, method: method, headers: headers, body: buffer)
    }

    /// A GET, with `token` as a bearer.
    public func get(_ uri: String, token: String? = nil) async throws -> TestResponse {
        try await send(.get, uri, token: token)
    }
}
