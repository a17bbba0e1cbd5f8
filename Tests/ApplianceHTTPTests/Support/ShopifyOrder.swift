import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes

/// A Shopify order webhook body, built field by field (only what the appliance reads, in
/// Shopify's shape). Encoded with `JSONEncoder`, so the 64-bit id keeps every digit.
struct ShopifyOrder: Encodable, Sendable {
    struct Address: Encodable, Sendable {
        var name: String?
        var first_name: String?
        var last_name: String?
        var phone: String?
        var country_code: String?
    }

    struct Customer: Encodable, Sendable {
        var first_name: String?
        var last_name: String?
        var email: String?
        var phone: String?
    }

    struct Money: Encodable, Sendable {
        var amount: String
        var currency_code: String
    }

    struct PriceSet: Encodable, Sendable {
        var shop_money: Money
        var presentment_money: Money
    }

    var id: UInt64
    var name: String
    var order_number: Int
    var email: String?
    var phone: String?
    var created_at: String
    var updated_at: String
    var cancelled_at: String?
    var currency = "EUR"
    var total_price = "49.90"
    var test = false
    var customer: Customer?
    var shipping_address: Address?
    /// The total in shop and presentment currency (absent unless a test sets it).
    var total_price_set: PriceSet?
    var presentment_currency: String?

    /// An order of Jeanne Dupont in France with a usable mobile number.
    init(id: UInt64, number: Int = 1001, customer: String = "Jeanne Dupont", phone: String? = "06 12 34 56 78",
         country: String = "FR", createdAt: String = "2025-03-01T10:00:00+01:00", updatedAt: String? = nil,
         cancelledAt: String? = nil, total: String = "49.90", test: Bool = false) {
        self.id = id
        self.name = "#\(number)"
        self.order_number = number
        self.email = "\(customer.split(separator: " ").first!.lowercased())@example.com"
        self.created_at = createdAt
        self.updated_at = updatedAt ?? createdAt
        self.cancelled_at = cancelledAt
        self.total_price = total
        self.test = test
        let parts = customer.split(separator: " ", maxSplits: 1).map(String.init)
        self.customer = Customer(first_name: parts.first, last_name: parts.count > 1 ? parts[1] : nil, email: email, phone: nil)
        self.shipping_address = Address(name: customer, first_name: parts.first, last_name: parts.count > 1 ? parts[1] : nil,
                                        phone: phone, country_code: country)
    }

    var bytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(try! encoder.encode(self))
    }
}

/// The real Shopify sample payloads in `/work/shared/fixtures/shopify` (found relative to this
/// file, or through `SHOPIFY_FIXTURES`).
enum Fixtures {
    static var directory: String {
        if let env = ProcessInfo.processInfo.environment["SHOPIFY_FIXTURES"] { return env }
        // Tests/ApplianceHTTPTests/Support/ShopifyOrder.swift → repository → ../shared/fixtures/shopify
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [
            repo.appendingPathComponent("Tests/Fixtures/shopify").path,
            repo.deletingLastPathComponent().appendingPathComponent("shared/fixtures/shopify").path,
            "/work/shared/fixtures/shopify",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) } ?? candidates.last!
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
    }

    /// Shopify's `orders/create` docs sample with the exact id 820982911946154508 restored
    /// (the published copy went through a float and reads ...500; its `admin_graphql_api_id`
    /// keeps the real digits).
    static func docsOrderExactID() throws -> [UInt8] {
        let text = String(decoding: try bytes("orders_create.docs-example.json"), as: UTF8.self)
        let fixed = text.replacingOccurrences(of: "\"id\": 820982911946154500,", with: "\"id\": 820982911946154508,")
        precondition(fixed != text, "docs sample no longer has the rounded id")
        return Array(fixed.utf8)
    }
}
