import ApplianceDomain
import Hummingbird

/// `POST /api/v1/admin/shopify/test`: runs `{ shop { name } }` with the saved settings →
/// 200 `{shop: {name}}`, 422 `shopify_not_configured`, or 502 `shopify_error` saying what
/// Shopify answered.
struct ShopifyController {
    let services: ApplianceServices

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("shopify/test") { request, _ in
            let tenant = try await services.tenant(for: request)
            switch await services.shopify.test(tenant) {
            case .shop(let name):
                return try JSONResponse.make(["shop": ["name": name]])
            case .notConfigured(let why):
                throw APIError(status: .unprocessableContent, code: "shopify_not_configured", message: why)
            case .shopifyError(let said):
                throw APIError(status: .badGateway, code: "shopify_error", message: said)
            }
        }
    }
}
