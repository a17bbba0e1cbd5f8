import ApplianceDomain
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// The whole body, or 413 when it is larger than `limit` bytes.
    mutating func bodyBytes(upTo limit: Int) async throws -> [UInt8] {
        try await bodyBytes(upTo: limit, contentLength: headers[.contentLength])
    }

    /// ``bodyBytes(upTo:)`` for a caller that already read the `Content-Length` header.
    mutating func bodyBytes(upTo limit: Int, contentLength: String?) async throws -> [UInt8] {
        if let length = contentLength.flatMap({ Int($0) }), length > limit {
            throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "body exceeds \(limit) bytes")
        }
        do {
            let buffer = try await collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw APIError(status: .contentTooLarge, code: "payload_too_large", message: "body exceeds \(limit) bytes")
        }
    }

    /// The body decoded as `T`, or 422 naming what is wrong.
    mutating func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int, what: String) async throws -> T {
        let bytes = try await bodyBytes(upTo: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch {
            throw APIError(status: .unprocessableContent, code: "invalid", message: "body must be a JSON object with \(what)")
        }
    }

    /// The bearer token of the `Authorization` header.
    var bearerToken: String? {
        guard let value = headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }
}

extension TenantAuthenticator {
    /// The tenant id of the request's bearer token, or 401.
    func tenantID(for request: Request) async throws -> Int {
        guard let token = request.bearerToken else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "Authorization: Bearer <token> is required")
        }
        return try await tenantID(token: token)
    }
}

extension ApplianceServices {
    /// The tenant of the request's bearer token, or 401.
    func tenant(for request: Request) async throws -> Tenant {
        guard let token = request.bearerToken else {
            throw APIError(status: .unauthorized, code: "unauthorized", message: "Authorization: Bearer <token> is required")
        }
        return try await accounts.authenticate(token: token).0
    }
}
