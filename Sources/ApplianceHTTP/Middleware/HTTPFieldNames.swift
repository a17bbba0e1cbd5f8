import Hummingbird

/// Header names the server sets or reads that HTTPTypes does not name (built once: a name
/// built per request is checked and lowercased each time).
extension HTTPFields.Element.Name {
    static let xFrameOptions = Self("X-Frame-Options")!
    static let permissionsPolicy = Self("Permissions-Policy")!
    static let crossOriginOpenerPolicy = Self("Cross-Origin-Opener-Policy")!
    static let referrerPolicy = Self("Referrer-Policy")!
    static let requestID = Self("X-Request-Id")!
    static let shopifyTopic = Self("X-Shopify-Topic")!
    static let shopifyWebhookID = Self("X-Shopify-Webhook-Id")!
    static let shopifyShopDomain = Self("X-Shopify-Shop-Domain")!
    static let shopifyHmac = Self("X-Shopify-Hmac-Sha256")!
}
