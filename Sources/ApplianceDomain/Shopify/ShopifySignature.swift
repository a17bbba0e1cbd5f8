import Foundation
import PhoneNumbers

/// Verifies `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 over the raw body bytes, keyed by
/// the tenant's secret, compared in constant time on the decoded bytes.
public enum ShopifySignature {
    /// Whether `header` is the signature of `body` under `secret`.
    public static func isValid(body: [UInt8], header: String?, secret: String) -> Bool {
        guard let header, let provided = Data(base64Encoded: header.trimmingFast(.whitespaces)) else { return false }
        let expected = HMACSHA256.authenticationCode(for: body, key: Array(secret.utf8))
        return HMACSHA256.constantTimeEquals(expected, Array(provided))
    }

    /// The header value Shopify would send for `body` signed with `secret`.
    public static func sign(body: [UInt8], secret: String) -> String {
        Data(HMACSHA256.authenticationCode(for: body, key: Array(secret.utf8))).base64EncodedString()
    }
}
