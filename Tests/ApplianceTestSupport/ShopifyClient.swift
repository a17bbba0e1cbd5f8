import ApplianceDomain
import Foundation

/// Builds realistic signed Shopify `orders/create` deliveries and talks to the API as a merchant.
public enum ShopifyClient {
    public static let createdAt: String = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }()

    /// A ~3 KB order body in Shopify's shape with `id` as an exact integer above 2^53.
    public static func orderBody(id: UInt64, number: Int, phone: String = "+1 415-555-2671") -> [UInt8] {
        let price = String(format: "%d.%02d", 15 + Int(id % 200), Int(id % 100))
        let json = """
        {"id":\(id),"admin_graphql_api_id":"gid://shopify/Order/\(id)","name":"#\(number)","order_number":\(number),\
        "email":"jessica.smith@example.com","phone":null,"created_at":"\(createdAt)","updated_at":"\(createdAt)",\
        "cancelled_at":null,"currency":"USD","presentment_currency":"USD","total_price":"\(price)","current_total_price":"\(price)",\
        "subtotal_price":"\(price)","total_tax":"0.00","financial_status":"pending","fulfillment_status":null,"test":false,\
        "total_price_set":{"shop_money":{"amount":"\(price)","currency_code":"USD"},"presentment_money":{"amount":"\(price)","currency_code":"USD"}},\
        "customer":{"id":115310627314723954,"first_name":"Jessica","last_name":"Smith","email":"jessica@example.com","phone":null,\
        "default_address":{"country_code":"US","phone":null}},\
        "shipping_address":{"name":"Jessica Smith","first_name":"Jessica","last_name":"Smith","address1":"12 Market Street",\
        "city":"Springfield","zip":"10001","country":"United States","country_code":"US","phone":"\(phone)"},\
        "billing_address":{"name":"Jessica Smith","country_code":"US","phone":null},\
        "note_attributes":[{"name":"Delivery Slot","value":"Tomorrow 14:00-16:00"}],\
        "line_items":[{"id":866550311766439020,"title":"Cotton T-shirt","quantity":2,"price":"\(price)","sku":"TS-001",\
        "vendor":"Demo Shop","requires_shipping":true,"taxable":true,"gift_card":false,"fulfillment_status":null,\
        "properties":[{"name":"Size","value":"M"}]}],\
        "payment_gateway_names":["Cash on Delivery (COD)"],"source_name":"web","tags":"",\
        "order_status_url":"https://demo-shop.myshopify.com/orders/\(id)/authenticate"}
        """
        return Array(json.utf8)
    }

    /// Posts one signed `orders/create` delivery on `connection`.
    public static func postOrder(_ connection: HTTPConnection, userID: Int, secret: String, id: UInt64, number: Int,
                          webhookID: String = UUID().uuidString.lowercased(), path: String? = nil) throws -> HTTPResponse {
        let body = orderBody(id: id, number: number)
        return try connection.send("POST", path ?? "/api/v1/webhooks/\(userID)/orders/create", headers: [
            ("Content-Type", "application/json"),
            ("X-Shopify-Topic", "orders/create"),
            ("X-Shopify-Webhook-Id", webhookID),
            ("X-Shopify-Shop-Domain", "demo-shop.myshopify.com"),
            ("X-Shopify-API-Version", "2025-01"),
            ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(body: body, secret: secret)),
        ], body: body)
    }

    /// Logs in and returns the access token.
    public static func login(port: Int, email: String, password: String) throws -> String {
        let response = try HTTPConnection(port: port).json("POST", "/api/v1/auth/login", ["email": email, "password": password])
        guard response.status == 200, let token = response.object?["access_token"] as? String else {
            throw HarnessError("login failed: \(response.status) \(response.text)")
        }
        return token
    }

    /// Sets the tenant's Shopify webhook secret.
    public static func setSecret(port: Int, token: String, secret: String) throws {
        let response = try HTTPConnection(port: port).json("PUT", "/api/v1/admin/settings", ["shopify_webhook_secret": secret], token: token)
        guard response.status == 200 else { throw HarnessError("PUT settings failed: \(response.status) \(response.text)") }
    }

    /// Every order id of the token's tenant, newest first, paging through `next_cursor`.
    public static func listOrderIDs(port: Int, token: String, pageSize: Int = 200) throws -> [String] {
        let connection = try HTTPConnection(port: port)
        var ids: [String] = []
        var cursor: String?
        for _ in 0..<100_000 {
            var path = "/api/v1/admin/orders?limit=\(pageSize)"
            if let cursor { path += "&cursor=\(cursor.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? cursor)" }
            let response = try connection.json("GET", path, token: token)
            guard response.status == 200, let object = response.object, let orders = object["orders"] as? [[String: Any]] else {
                throw HarnessError("GET orders failed: \(response.status) \(response.text.prefix(300))")
            }
            for order in orders {
                guard let id = order["id"] as? String else { throw HarnessError("order without a string id: \(order)") }
                ids.append(id)
            }
            guard let next = object["next_cursor"] as? String else { return ids }
            if orders.isEmpty { throw HarnessError("an empty page with a next_cursor") }
            cursor = next
        }
        throw HarnessError("too many pages")
    }
}
