import ApplianceCoding
import Foundation

extension Settings {
    /// Shopify write-back (CONTRACT "Shopify write-back"): the custom app's Admin API token and
    /// what the appliance writes back to the merchant's orders. Every field nil means its default.
    public struct Shopify: Codable, Sendable, Equatable {
        /// The shop's domain (`name.myshopify.com` or a custom domain); nil: the
        /// `X-Shopify-Shop-Domain` of the latest delivery.
        public var shopDomain: String?
        /// The custom app's Admin API access token (write-only at the API).
        public var adminAccessToken: String?
        public var confirmTag: String?
        public var cancelTag: String?
        public var cancelOrders: Bool?
        public var restock: Bool?
        /// Why the tenant's write-backs are held (Shopify refused the token: 401, 403,
        /// `ACCESS_DENIED`), until a settings `PUT` sets a `shopify` field. Not an API field.
        public var hold: String?

        public static let defaultConfirmTag = "whatsapp-confirmed"
        public static let defaultCancelTag = "whatsapp-cancelled"

        public init() {}

        public var effectiveConfirmTag: String { confirmTag ?? Self.defaultConfirmTag }
        public var effectiveCancelTag: String { cancelTag ?? Self.defaultCancelTag }
        public var effectiveCancelOrders: Bool { cancelOrders ?? false }
        public var effectiveRestock: Bool { restock ?? true }

        enum CodingKeys: String, CodingKey {
            case shopDomain = "shop_domain", adminAccessToken = "admin_access_token", confirmTag = "confirm_tag"
            case cancelTag = "cancel_tag", cancelOrders = "cancel_orders", restock, hold
        }
    }

    /// The Shopify write-back settings (stored only once the merchant set one).
    public var shopify: Shopify {
        get { shopifyStored ?? Shopify() }
        set { shopifyStored = newValue == Shopify() ? nil : newValue }
    }

    /// The shop domain write-backs go to: the merchant's, else the latest delivery's.
    public func shopifyDomain(latestDelivery: String?) -> String? { shopify.shopDomain ?? latestDelivery }
}

extension Settings.Shopify {
    static let readOnlyFields: Set<String> = ["admin_access_token_set", "hold_reason"]

    /// Applies the `shopify` object of a settings `PUT`, field by field (`null`/`""` restores a
    /// default or clears the token). Throws `invalid` naming the field (`shopify.cancel_tag`).
    func applying(_ patch: [String: JSONValue]) throws(DomainError) -> Settings.Shopify {
        var s = self
        for (key, value) in patch {
            let field = "shopify.\(key)"
            switch key {
            case "shop_domain":
                guard let v = try Settings.optionalString(value, field: field, max: 255) else { s.shopDomain = nil; continue }
                guard let domain = Self.normalizedDomain(v) else {
                    throw DomainError(.invalid, "\(field) must be a domain such as your-shop.myshopify.com")
                }
                s.shopDomain = domain
            case "admin_access_token":
                s.adminAccessToken = try Settings.optionalString(value, field: field, max: 512)
            case "confirm_tag":
                s.confirmTag = try Self.tag(value, field: field)
            case "cancel_tag":
                s.cancelTag = try Self.tag(value, field: field)
            case "cancel_orders":
                if value.isNull { s.cancelOrders = nil; continue }
                guard case .bool(let b) = value else { throw DomainError(.invalid, "\(field) must be true or false") }
                s.cancelOrders = b
            case "restock":
                if value.isNull { s.restock = nil; continue }
                guard case .bool(let b) = value else { throw DomainError(.invalid, "\(field) must be true or false") }
                s.restock = b
            default:
                if Self.readOnlyFields.contains(key) { continue }
                throw DomainError(.invalid, "\(field) is not a setting")
            }
        }
        return s
    }

    /// A tag: 1–40 characters without a comma; `null`/`""` → nil (the default).
    static func tag(_ value: JSONValue, field: String) throws(DomainError) -> String? {
        if value.isNull { return nil }
        guard let v = value.stringValue else { throw DomainError(.invalid, "\(field) must be a string or null") }
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { return nil }
        guard t.count <= 40, !t.contains(",") else {
            throw DomainError(.invalid, "\(field) must be 1 to 40 characters without a comma")
        }
        return t
    }

    /// `v` as a lower-case host name (a scheme and a trailing slash are dropped), or nil when
    /// it is not one: labels of letters, digits and hyphens, at least two of them.
    static func normalizedDomain(_ v: String) -> String? {
        var d = v.lowercased()
        for prefix in ["https://", "http://"] where d.hasPrefix(prefix) { d.removeFirst(prefix.count) }
        while d.hasSuffix("/") { d.removeLast() }
        let labels = d.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, d.count <= 253 else { return nil }
        for label in labels {
            guard (1...63).contains(label.count), label.first != "-", label.last != "-",
                  label.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" })
            else { return nil }
        }
        return d
    }
}
