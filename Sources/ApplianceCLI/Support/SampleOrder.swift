import ApplianceDomain
import Foundation

/// A realistic `orders/create` body (about 3 KB) in Shopify's shape, with an id above 2^53.
enum SampleOrder {
    static let names = [("Amina", "Haddad", "MA"), ("Jessica", "Smith", "US"), ("Lucas", "Martin", "FR"), ("Priya", "Sharma", "IN"),
                        ("Mateo", "García", "ES"), ("Olena", "Kovalenko", "UA"), ("Chloé", "Dubois", "FR"), ("Omar", "Farouk", "EG")]

    static func make(phone: String, now: Int64, number: Int? = nil, id: UInt64? = nil, country: String? = nil) -> String {
        let id = id ?? UInt64.random(in: 5_000_000_000_000_000...9_000_000_000_000_000)
        let number = number ?? Int.random(in: 1001...99999)
        let (first, last, defaultCountry) = names.randomElement()!
        let cc = country ?? defaultCountry
        let created = Timestamp.format(now)
        let price = String(format: "%.2f", Double(Int.random(in: 1500...25000)) / 100)
        let order: [String: Any] = [
            "id": "__ID__", "admin_graphql_api_id": "gid://shopify/Order/\(id)", "name": "#\(number)", "order_number": number,
            "email": "\(first.lowercased()).\(last.lowercased())@example.com", "phone": NSNull(), "created_at": created, "updated_at": created,
            "cancelled_at": NSNull(), "currency": "USD", "presentment_currency": "USD", "total_price": price, "current_total_price": price,
            "subtotal_price": price, "total_tax": "0.00", "financial_status": "pending", "fulfillment_status": NSNull(), "test": false,
            "total_price_set": ["shop_money": ["amount": price, "currency_code": "USD"], "presentment_money": ["amount": price, "currency_code": "USD"]],
            "customer": ["id": 115310627314723954, "first_name": first, "last_name": last, "email": "\(first.lowercased())@example.com", "phone": NSNull()],
            "shipping_address": ["name": "\(first) \(last)", "first_name": first, "last_name": last, "address1": "12 Market Street",
                                 "city": "Springfield", "zip": "10001", "country": "Country", "country_code": cc, "phone": phone],
            "billing_address": ["name": "\(first) \(last)", "country_code": cc, "phone": NSNull()],
            "note_attributes": [["name": "Delivery Slot", "value": "Tomorrow 14:00-16:00"]],
            "line_items": [["id": 866550311766439020, "title": "Cotton T-shirt", "quantity": 2, "price": price, "sku": "TS-001",
                            "properties": [["name": "Size", "value": "M"]]]],
            "payment_gateway_names": ["Cash on Delivery (COD)"], "source_name": "web", "tags": "",
            "order_status_url": "https://demo-shop.myshopify.com/orders/\(id)/authenticate",
        ]
        let data = try! JSONSerialization.data(withJSONObject: order, options: [.sortedKeys])
        // Splice the id in as an exact integer literal (JSONSerialization would go through Double).
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"__ID__\"", with: String(id))
    }
}
