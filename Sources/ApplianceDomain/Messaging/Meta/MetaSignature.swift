/// Verifies `X-Hub-Signature-256`: `sha256=` + hex HMAC-SHA256 of the raw body keyed by the
/// app secret, compared in constant time.
public enum MetaSignature {
    /// Whether `header` signs `body` under `appSecret`.
    public static func isValid(body: [UInt8], header: String?, appSecret: String) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        let expected = sign(body: body, appSecret: appSecret)
        return HMACSHA256.constantTimeEquals(Array(expected.utf8), Array(header.lowercased().utf8))
    }

    /// The header value Meta would send.
    public static func sign(body: [UInt8], appSecret: String) -> String {
        let mac = HMACSHA256.authenticationCode(for: body, key: Array(appSecret.utf8))
        let hex = Array("0123456789abcdef".utf8)
        var out = Array("sha256=".utf8)
        for b in mac {
            out.append(hex[Int(b >> 4)])
            out.append(hex[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
