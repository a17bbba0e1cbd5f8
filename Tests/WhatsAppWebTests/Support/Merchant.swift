import ApplianceDomain
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A signed-up merchant.
struct Merchant: Sendable {
    let id: Int
    let token: String
}

enum TestShop {
    static let secret = "shpss_test_secret_0123456789abcdef"
}

extension TestClientProtocol {
    /// Signs up `email` and sets a Shopify secret and `settings` (JSON members, provider `web`
    /// and no delay by default).
    func merchant(_ email: String, settings: String = "") async throws -> Merchant {
        let signup = try await send(.post, "/api/v1/auth/signup", json: #"{"email": "\#(email)", "password": "correct horse battery"}"#)
        try #require(signup.status == .created, "signup: \(signup.status) \(String(buffer: signup.body))")
        let json = try JSON(parsing: signup.body.readableBytesView)
        let merchant = Merchant(id: try #require(json["user"]["id"].int), token: try #require(json["access_token"].string))
        let extra = settings.isEmpty ? "" : ", " + settings
        let put = try await send(.put, "/api/v1/admin/settings", token: merchant.token, json: """
            {"shopify_webhook_secret": "\(TestShop.secret)", "whatsapp_provider": "web", "confirmation_delay_minutes": 0,
             "shop_name": "Maison Test"\(extra)}
            """)
        try #require(put.status == .ok, "settings: \(put.status) \(String(buffer: put.body))")
        return merchant
    }

    /// Delivers a signed `orders/create` for a French customer with `phone`.
    func order(_ id: UInt64, to merchant: Merchant, phone: String, number: Int = 1001, name: String = "Jeanne Dupont") async throws {
        let body: [String: Any] = [
            "id": id, "name": "#\(number)", "order_number": number, "email": "jeanne@example.com",
            "created_at": "2026-01-10T10:00:00+01:00", "updated_at": "2026-01-10T10:00:00+01:00",
            "currency": "EUR", "total_price": "49.90", "test": false,
            "customer": ["first_name": String(name.split(separator: " ")[0]), "last_name": "Dupont"],
            "shipping_address": ["name": name, "phone": phone, "country_code": "FR"],
        ]
        let bytes = Array(try JSONSerialization.data(withJSONObject: body))
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[HTTPField.Name("X-Shopify-Hmac-Sha256")!] = ShopifySignature.sign(body: bytes, secret: TestShop.secret)
        headers[HTTPField.Name("X-Shopify-Topic")!] = "orders/create"
        headers[HTTPField.Name("X-Shopify-Webhook-Id")!] = UUID().uuidString
        headers[HTTPField.Name("X-Shopify-Shop-Domain")!] = "demo-shop.myshopify.com"
        let r = try await send(.post, "/api/v1/webhooks/\(merchant.id)", body: bytes, headers: headers)
        try #require(r.status == .ok, "webhook: \(r.status) \(String(buffer: r.body))")
    }

    /// The order as the API shows it.
    func order(_ id: UInt64, of merchant: Merchant) async throws -> JSON {
        let r = try await send(.get, "/api/v1/admin/orders/\(id)", token: merchant.token)
        try #require(r.status == .ok, "GET order: \(r.status)")
        return try JSON(parsing: r.body.readableBytesView)
    }

    /// Waits until the order's message is in `state`; returns the order.
    @discardableResult
    func awaitMessage(_ id: UInt64, of merchant: Merchant, _ state: String, seconds: Double = 40) async throws -> JSON {
        let last = Box<JSON>()
        do {
            try await eventually(seconds: seconds, "order \(id) message \(state)") {
                let order = try await self.order(id, of: merchant)
                last.set(order)
                return order["message"]["state"].string == state
            }
        } catch {
            throw TestFailure("order \(id): message never became \(state); last: \((last.get ?? .missing)["message"])")
        }
        return last.get ?? .missing
    }

    func status(_ merchant: Merchant) async throws -> JSON {
        let r = try await send(.get, "/api/v1/admin/whatsapp/status", token: merchant.token)
        try #require(r.status == .ok)
        return try JSON(parsing: r.body.readableBytesView)
    }

    func connect(_ merchant: Merchant) async throws -> TestResponse {
        try await send(.post, "/api/v1/admin/whatsapp/connect", token: merchant.token, json: "{}")
    }

    func disconnect(_ merchant: Merchant) async throws -> TestResponse {
        try await send(.post, "/api/v1/admin/whatsapp/disconnect", token: merchant.token, json: "{}")
    }

    func sendTest(_ merchant: Merchant, phone: String) async throws -> TestResponse {
        try await send(.post, "/api/v1/admin/whatsapp/test", token: merchant.token, json: #"{"phone": "\#(phone)"}"#)
    }
}
