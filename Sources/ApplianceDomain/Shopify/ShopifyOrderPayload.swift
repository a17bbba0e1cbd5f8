/// The parts of a Shopify order webhook body the product uses; everything else is skipped
/// by the decoder. Ids decode exactly from the JSON digits (never through Double).
public struct ShopifyOrderPayload: Decodable, Sendable {
    /// A money amount in shop and presentment currency.
    public struct MoneySet: Decodable, Sendable {
        public struct Money: Decodable, Sendable {
            public var amount: FlexibleString?
            public var currencyCode: String?
            enum CodingKeys: String, CodingKey { case amount, currencyCode = "currency_code" }
        }
        public var shopMoney: Money?
        public var presentmentMoney: Money?
        enum CodingKeys: String, CodingKey { case shopMoney = "shop_money", presentmentMoney = "presentment_money" }
    }

    /// A shipping or billing address.
    public struct Address: Decodable, Sendable {
        public var name: String?
        public var firstName: String?
        public var lastName: String?
        public var phone: String?
        public var countryCode: String?
        enum CodingKeys: String, CodingKey {
            case name, firstName = "first_name", lastName = "last_name", phone, countryCode = "country_code"
        }
    }

    /// The order's customer.
    public struct Customer: Decodable, Sendable {
        public var firstName: String?
        public var lastName: String?
        public var email: String?
        public var phone: String?
        public var defaultAddress: Address?
        enum CodingKeys: String, CodingKey {
            case firstName = "first_name", lastName = "last_name", email, phone, defaultAddress = "default_address"
        }
    }

    /// A `{name, value}` pair of `note_attributes` or line item `properties`.
    public struct NameValue: Decodable, Sendable {
        public var name: String?
        public var value: FlexibleString?
    }

    /// A line item (only its properties matter here).
    public struct LineItem: Decodable, Sendable {
        public var properties: [NameValue]?
    }

    public var id: ExactID?
    public var name: String?
    public var orderNumber: ExactID?
    public var email: String?
    public var contactEmail: String?
    public var phone: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var cancelledAt: String?
    public var currency: String?
    public var presentmentCurrency: String?
    public var totalPrice: FlexibleString?
    public var currentTotalPrice: FlexibleString?
    public var totalPriceSet: MoneySet?
    public var currentTotalPriceSet: MoneySet?
    public var test: Bool?
    public var customer: Customer?
    public var shippingAddress: Address?
    public var billingAddress: Address?
    public var noteAttributes: [NameValue]?
    public var lineItems: [LineItem]?

    enum CodingKeys: String, CodingKey {
        case id, name, orderNumber = "order_number", email, contactEmail = "contact_email", phone
        case createdAt = "created_at", updatedAt = "updated_at", cancelledAt = "cancelled_at", currency
        case presentmentCurrency = "presentment_currency", totalPrice = "total_price", currentTotalPrice = "current_total_price"
        case totalPriceSet = "total_price_set", currentTotalPriceSet = "current_total_price_set", test, customer
        case shippingAddress = "shipping_address", billingAddress = "billing_address", noteAttributes = "note_attributes"
        case lineItems = "line_items"
    }
}

/// The parts of a `fulfillments/create|update` body the product uses.
public struct ShopifyFulfillmentPayload: Decodable, Sendable {
    public var id: ExactID?
    public var orderID: ExactID?
    public var status: String?
    public var shipmentStatus: String?
    public var updatedAt: String?
    enum CodingKeys: String, CodingKey {
        case id, orderID = "order_id", status, shipmentStatus = "shipment_status", updatedAt = "updated_at"
    }
}
