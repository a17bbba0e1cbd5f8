import Foundation
import Hummingbird
import NIOCore

/// Builds JSON responses from `Encodable` values.
enum JSONResponse {
    /// The `Content-Type` of every JSON answer.
    static let contentType = "application/json; charset=utf-8"


    /// One encoder for every response (configured once; `JSONEncoder` is safe to share).
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(status: status, headers: [.contentType: contentType],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
