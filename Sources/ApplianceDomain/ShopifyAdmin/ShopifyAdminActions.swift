/// What the merchant can ask of the Shopify Admin API directly: "Test connection".
public struct ShopifyAdminActions: Sendable {
    let client: ShopifyAdminClient?

    public init(client: ShopifyAdminClient?) {
        self.client = client
    }

    /// What the test found.
    public enum TestResult: Sendable, Equatable {
        case shop(name: String)
        /// No admin token (or no shop domain) to test with.
        case notConfigured(String)
        /// What Shopify answered, in plain words.
        case shopifyError(String)
    }

    /// Runs `{ shop { name } }` with the tenant's saved settings.
    public func test(_ tenant: Tenant) async -> TestResult {
        let settings = await tenant.settings
        guard let token = settings.shopify.adminAccessToken else {
            return .notConfigured("set shopify.admin_access_token (the custom app's Admin API access token) first")
        }
        guard let domain = settings.shopifyDomain(latestDelivery: await tenant.shopDomain) else {
            return .notConfigured("set shopify.shop_domain (your-shop.myshopify.com) first")
        }
        guard let client else { return .shopifyError("the Shopify Admin API is not available on this server") }
        switch await client.shopName(shopDomain: domain, token: token) {
        case .success(let name): return .shop(name: name)
        case .failure(let error): return .shopifyError("\(domain): \(error.description)")
        }
    }
}
