/// One webhook request from Shopify, as the HTTP edge received it.
public struct ShopifyDelivery: Sendable {
    /// The topic from the route, else from `X-Shopify-Topic`.
    public var topic: String?
    /// `X-Shopify-Webhook-Id`.
    public var webhookID: String?
    /// `X-Shopify-Shop-Domain`.
    public var shopDomain: String?
    /// `X-Shopify-Hmac-Sha256`.
    public var signature: String?
    /// The raw body bytes, exactly as received.
    public var body: [UInt8]

    public init(topic: String?, webhookID: String?, shopDomain: String?, signature: String?, body: [UInt8]) {
        self.topic = topic
        self.webhookID = webhookID
        self.shopDomain = shopDomain
        self.signature = signature
        self.body = body
    }
}
