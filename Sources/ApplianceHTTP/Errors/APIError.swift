import ApplianceDomain
import Foundation
import Hummingbird
import NIOCore

/// The JSON error body `{"error": {"code", "message"}}` with its HTTP status, made from domain
/// errors at the edge.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(status: HTTPResponse.Status, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// The status and body for a domain error.
    public init(_ error: DomainError) {
        let status: HTTPResponse.Status = switch error.code {
        case .invalid: .unprocessableContent
        case .emailTaken, .conflict: .conflict
        case .badCredentials, .unauthorized, .badSignature: .unauthorized
        case .throttled: .tooManyRequests
        case .notFound: .notFound
        case .forbidden, .signupClosed, .inviteInvalid: .forbidden
        case .tenantUnavailable, .storageUnavailable: .serviceUnavailable
        case .tooLarge: .contentTooLarge
        default: .internalServerError
        }
        self.init(status: status, code: error.code.rawValue, message: error.message)
        if let retry = error.retryAfter { headers[.retryAfter] = String(retry) }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: responseHeaders, body: .init(byteBuffer: body()))
    }

    /// The answer's headers: ``headers`` and the JSON content type.
    var responseHeaders: HTTPFields {
        var headers = self.headers
        headers[.contentType] = JSONResponse.contentType
        return headers
    }

    /// `{"error": {"code": …, "message": …}}`.
    func body() -> ByteBuffer {
        let bytes = (try? JSONEncoder().encode(["error": ["code": code, "message": message]])) ?? Data()
        return ByteBuffer(bytes: bytes)
    }
}
