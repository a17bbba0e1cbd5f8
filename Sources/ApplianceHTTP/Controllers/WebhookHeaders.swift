import Hummingbird

/// The headers a Shopify delivery is read by, picked out in one pass over the request's
/// fields (each `HTTPFields` lookup by name walks every field and joins the values it finds:
/// five lookups per delivery were a few per cent of the server's CPU at full ingest). A header
/// sent twice is joined with ", " as `HTTPFields` joins it.
struct WebhookHeaders {
    var topic: String?
    var webhookID: String?
    var shopDomain: String?
    var signature: String?
    var contentLength: String?
    /// Also read for ``WebhookChannelHandler``, which answers without the router's middleware.
    var requestID: String?
    var connection: String?
    var expect: String?

    init(_ fields: HTTPFields) {
        for field in fields {
            switch field.name {
            case .contentLength: Self.add(field.value, to: &contentLength)
            case .requestID: Self.add(field.value, to: &requestID)
            case .connection: Self.add(field.value, to: &connection)
            case .expect: Self.add(field.value, to: &expect)
            case .shopifyHmac: Self.add(field.value, to: &signature)
            case .shopifyTopic: Self.add(field.value, to: &topic)
            case .shopifyWebhookID: Self.add(field.value, to: &webhookID)
            case .shopifyShopDomain: Self.add(field.value, to: &shopDomain)
            default: continue
            }
        }
    }

    static func add(_ value: String, to slot: inout String?) {
        if let first = slot { slot = first + ", " + value } else { slot = value }
    }
}
