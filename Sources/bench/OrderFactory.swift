import ApplianceDomain
import Foundation

/// Realistic Shopify `orders/create` deliveries of about 8 KB: a set of templates in Shopify's
/// shape (customers in several countries, padded with line items), into which each delivery
/// gets its own order id, order number and webhook id, and its own HMAC signature.
struct OrderFactory {
    struct Customer {
        var first: String, last: String, country: String, countryName: String, city: String, phone: String, currency: String
    }

    static let customers = [
        Customer(first: "Jessica", last: "Smith", country: "US", countryName: "United States", city: "Springfield", phone: "(415) 555-2671", currency: "USD"),
        Customer(first: "Amina", last: "Haddad", country: "GB", countryName: "United Kingdom", city: "London", phone: "020 7946 0958", currency: "GBP"),
        Customer(first: "Lucas", last: "Martin", country: "CA", countryName: "Canada", city: "Toronto", phone: "(416) 555-0123", currency: "CAD"),
        Customer(first: "Priya", last: "Sharma", country: "IN", countryName: "India", city: "Mumbai", phone: "98765 43210", currency: "INR"),
        Customer(first: "Mateo", last: "García", country: "MX", countryName: "Mexico", city: "Ciudad de México", phone: "55 1234 5678", currency: "MXN"),
        Customer(first: "Olena", last: "Kovalenko", country: "UA", countryName: "Ukraine", city: "Kyiv", phone: "063 515 49 73", currency: "UAH"),
        Customer(first: "Chloé", last: "Dubois", country: "BR", countryName: "Brazil", city: "São Paulo", phone: "(11) 91234-5678", currency: "BRL"),
        Customer(first: "Omar", last: "Farouk", country: "AR", countryName: "Argentina", city: "Buenos Aires", phone: "011 15-2345-6789", currency: "ARS"),
    ]

    /// Marker text replaced per delivery (same length as the real value).
    static let idMarker = String(repeating: "@", count: 19)
    static let numberMarker = String(repeating: "%", count: 7)

    struct Template {
        var bytes: [UInt8]
        var idOffsets: [Int]
        var numberOffsets: [Int]
    }

    let templates: [Template]
    let createdAt: String

    init(targetBytes: Int = 8 * 1024, now: Date = Date()) {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        createdAt = f.string(from: now)
        var templates: [Template] = []
        for (i, customer) in Self.customers.enumerated() {
            for variant in 0..<4 {
                let json = Self.body(customer: customer, variant: i * 4 + variant, createdAt: createdAt, targetBytes: targetBytes)
                let bytes = Array(json.utf8)
                templates.append(Template(bytes: bytes, idOffsets: Self.offsets(of: Self.idMarker, in: bytes),
                                          numberOffsets: Self.offsets(of: Self.numberMarker, in: bytes)))
            }
        }
        self.templates = templates
    }

    static func offsets(of marker: String, in bytes: [UInt8]) -> [Int] {
        let m = Array(marker.utf8)
        var result: [Int] = []
        var i = 0
        while i + m.count <= bytes.count {
            if bytes[i] == m[0], Array(bytes[i..<(i + m.count)]) == m {
                result.append(i)
                i += m.count
            } else {
                i += 1
            }
        }
        return result
    }

    /// One delivery: the body with `id` and `number` filled in.
    func body(index: Int, id: UInt64, number: Int) -> [UInt8] {
        let t = templates[index % templates.count]
        var bytes = t.bytes
        let idDigits = Array(String(id).utf8)
        precondition(idDigits.count == 19)
        let numberDigits = Array(String(number).utf8)
        precondition(numberDigits.count == 7)
        for o in t.idOffsets { bytes.replaceSubrange(o..<(o + 19), with: idDigits) }
        for o in t.numberOffsets { bytes.replaceSubrange(o..<(o + 7), with: numberDigits) }
        return bytes
    }

    /// The full HTTP/1.1 request of one delivery to the generic webhook route.
    func request(index: Int, userID: Int, id: UInt64, number: Int, secret: [UInt8], webhookID: String) -> [UInt8] {
        let body = body(index: index, id: id, number: number)
        let signature = Data(HMACSHA256.authenticationCode(for: body, key: secret)).base64EncodedString()
        let head = "POST /api/v1/webhooks/\(userID) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: Shopify-Captain-Hook\r\n"
            + "Accept: */*\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\n"
            + "X-Shopify-Topic: orders/create\r\nX-Shopify-Hmac-Sha256: \(signature)\r\nX-Shopify-Shop-Domain: bench-shop-\(userID).myshopify.com\r\n"
            + "X-Shopify-Webhook-Id: \(webhookID)\r\nX-Shopify-API-Version: 2025-01\r\nX-Shopify-Triggered-At: \(createdAt)\r\n\r\n"
        return Array(head.utf8) + body
    }

    static func body(customer c: Customer, variant: Int, createdAt: String, targetBytes: Int) -> String {
        let email = "\(c.first.lowercased()).\(c.last.lowercased())@example.com".folding(options: .diacriticInsensitive, locale: nil)
        let address = """
        {"first_name":"\(c.first)","address1":"\(12 + variant) Market Street","phone":"\(c.phone)","city":"\(c.city)","zip":"10001",\
        "province":null,"country":"\(c.countryName)","last_name":"\(c.last)","address2":"Apt \(variant + 1)","company":null,\
        "latitude":40.7128,"longitude":-74.006,"name":"\(c.first) \(c.last)","country_code":"\(c.country)","province_code":null}
        """
        var lineItems: [String] = []
        var subtotal = 0
        var n = 0
        func assemble(_ items: [String], total: String) -> String {
            """
            {"id":\(idMarker),"admin_graphql_api_id":"gid://shopify/Order/\(idMarker)","app_id":580111,"browser_ip":"203.0.113.\(variant)",\
            "buyer_accepts_marketing":false,"cancel_reason":null,"cancelled_at":null,"cart_token":"c1-\(variant)a4f0d2e9b7",\
            "checkout_id":9012345678\(variant),"checkout_token":"bd5a8aa1ecd019dd3520ff791ee3a24c","client_details":{"accept_language":"en-US",\
            "browser_height":null,"browser_ip":"203.0.113.\(variant)","browser_width":null,"session_hash":null,\
            "user_agent":"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"},\
            "closed_at":null,"confirmation_number":"X\(variant)Q7K2M9P","confirmed":true,"contact_email":"\(email)",\
            "created_at":"\(createdAt)","currency":"\(c.currency)","current_subtotal_price":"\(total)","current_total_discounts":"0.00",\
            "current_total_price":"\(total)","current_total_tax":"0.00","customer_locale":"en","email":"\(email)","estimated_taxes":false,\
            "financial_status":"pending","fulfillment_status":null,"landing_site":"/","name":"#\(numberMarker)","note":null,\
            "note_attributes":[{"name":"Delivery Slot","value":"Tomorrow 14:00-16:00"},{"name":"Gift wrap","value":"no"}],\
            "number":\(numberMarker),"order_number":\(numberMarker),"order_status_url":"https://bench-shop.myshopify.com/690933842/orders/b1946ac92492d2347c6235b4d2611184/authenticate?key=\(idMarker)",\
            "payment_gateway_names":["Cash on Delivery (COD)"],"phone":null,"presentment_currency":"\(c.currency)",\
            "processed_at":"\(createdAt)","source_name":"web","subtotal_price":"\(total)","tags":"cod, bench","test":false,\
            "total_discounts":"0.00","total_line_items_price":"\(total)","total_price":"\(total)",\
            "total_price_set":{"shop_money":{"amount":"\(total)","currency_code":"\(c.currency)"},"presentment_money":{"amount":"\(total)","currency_code":"\(c.currency)"}},\
            "total_tax":"0.00","total_weight":1200,"updated_at":"\(createdAt)",\
            "billing_address":\(address),"customer":{"id":11531062731472395\(variant % 10),"email":"\(email)","created_at":"\(createdAt)",\
            "first_name":"\(c.first)","last_name":"\(c.last)","state":"enabled","note":null,"verified_email":true,"phone":null,\
            "currency":"\(c.currency)","tags":"","default_address":\(address)},\
            "discount_codes":[],"fulfillments":[],"refunds":[],"shipping_address":\(address),\
            "shipping_lines":[{"id":271878346596884015,"code":"Standard","price":"0.00","source":"shopify","title":"Standard","tax_lines":[]}],\
            "line_items":[\(items.joined(separator: ","))]}
            """
        }
        while true {
            let price = 900 + (variant * 37 + n * 113) % 9000
            subtotal += price * (1 + n % 3)
            let p = "\(price / 100).\(String(format: "%02d", price % 100))"
            lineItems.append("""
            {"id":86655031176643\(String(format: "%04d", n)),"admin_graphql_api_id":"gid://shopify/LineItem/86655031176643\(String(format: "%04d", n))",\
            "fulfillable_quantity":\(1 + n % 3),"fulfillment_service":"manual","fulfillment_status":null,"gift_card":false,"grams":400,\
            "name":"Cotton T-shirt \(n) - M / Blue","price":"\(p)","price_set":{"shop_money":{"amount":"\(p)","currency_code":"\(c.currency)"},\
            "presentment_money":{"amount":"\(p)","currency_code":"\(c.currency)"}},"product_exists":true,"product_id":78804216\(String(format: "%04d", n)),\
            "properties":[{"name":"Size","value":"M"},{"name":"Colour","value":"Blue"}],"quantity":\(1 + n % 3),"requires_shipping":true,\
            "sku":"TS-\(String(format: "%03d", n))-M-BL","taxable":true,"title":"Cotton T-shirt \(n)","total_discount":"0.00",\
            "variant_id":4926433312\(String(format: "%04d", n)),"variant_title":"M / Blue","vendor":"Bench Apparel","tax_lines":[],"discount_allocations":[]}
            """)
            n += 1
            let total = "\(subtotal / 100).\(String(format: "%02d", subtotal % 100))"
            let json = assemble(lineItems, total: total)
            if json.utf8.count >= targetBytes - 400 || n > 200 { return json }
        }
    }
}
