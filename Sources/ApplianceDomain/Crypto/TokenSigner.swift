import Foundation

/// HS256 JSON Web Tokens with `sub` (the user id), `iat` and `exp`; `alg` is pinned to HS256.
public struct TokenSigner: Sendable {
    /// The claims the appliance puts in a token.
    public struct Claims: Sendable, Equatable {
        public var userID: Int
        public var issuedAt: Int64
        public var expiresAt: Int64
    }

    let key: [UInt8]
    /// How long a token lives, in seconds.
    public let lifetime: Int64

    public init(key: [UInt8], lifetime: Int64 = 24 * 3600) {
        precondition(key.count >= 32, "signing key must be at least 256 bits")
        self.key = key
        self.lifetime = lifetime
    }

    static let header = base64URL(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))

    /// A token for `userID`, issued at `now` (seconds since 1970).
    public func sign(userID: Int, now: Int64) -> String {
        let payload = #"{"sub":"\#(userID)","iat":\#(now),"exp":\#(now + lifetime)}"#
        let signingInput = Self.header + "." + Self.base64URL(Array(payload.utf8))
        let mac = HMACSHA256.authenticationCode(for: Array(signingInput.utf8), key: key)
        return signingInput + "." + Self.base64URL(mac)
    }

    /// The claims of a valid, unexpired token; throws `unauthorized` otherwise.
    public func verify(_ token: String, now: Int64) throws(DomainError) -> Claims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Self.decodeBase64URL(parts[0]),
              let payloadBytes = Self.decodeBase64URL(parts[1]),
              let signature = Self.decodeBase64URL(parts[2])
        else { throw DomainError(.unauthorized, "malformed token") }
        let expected = HMACSHA256.authenticationCode(for: Array("\(parts[0]).\(parts[1])".utf8), key: key)
        guard HMACSHA256.constantTimeEquals(expected, signature) else { throw DomainError(.unauthorized, "bad token signature") }
        guard let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
              header["alg"] as? String == "HS256"
        else { throw DomainError(.unauthorized, "token algorithm must be HS256") }
        guard let payload = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any],
              let sub = payload["sub"] as? String, let userID = Int(sub),
              let exp = (payload["exp"] as? NSNumber)?.int64Value
        else { throw DomainError(.unauthorized, "token claims missing") }
        guard exp > now else { throw DomainError(.unauthorized, "token expired") }
        let iat = (payload["iat"] as? NSNumber)?.int64Value ?? 0
        return Claims(userID: userID, issuedAt: iat, expiresAt: exp)
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func decodeBase64URL(_ s: Substring) -> [UInt8]? {
        var b = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b.count % 4 != 0 { b += "=" }
        return Data(base64Encoded: b).map { Array($0) }
    }
}
