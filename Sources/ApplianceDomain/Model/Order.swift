/// An order as the appliance keeps it: the fields the product uses, mapped once from Shopify's
/// payload. Money stays decimal strings; ids stay exact integers.
public struct Order: Codable, Sendable, Equatable {
    /// Shopify's order id (exceeds 2^53; never a Double).
    public var id: UInt64
    /// Shopify's `name`, e.g. `#1001`.
    public var number: String
    public var customerName: String
    /// E.164, or nil when no candidate is usable.
    public var phone: String?
    /// The raw phone candidate that was used (or the first one seen), for display and re-normalisation.
    public var phoneRaw: String?
    /// ISO country of the address the phone came from.
    public var phoneCountry: String?
    public var email: String?
    /// Total in the shop currency (`current_total_price`, else `total_price`).
    public var totalPrice: String
    public var currency: String
    /// Total as the customer saw it (presentment money), when known.
    public var presentmentTotal: String?
    public var presentmentCurrency: String?
    public var slot: String?
    /// Shopify's `created_at`, ms since 1970 UTC.
    public var createdAt: Int64
    /// Shopify's `updated_at` of the newest applied delivery, ms since 1970 UTC.
    public var shopifyUpdatedAt: Int64
    /// When the appliance first received the order.
    public var arrivedAt: Int64
    /// The last change made by the appliance.
    public var updatedAt: Int64
    /// Timeline entries beyond the implied `received` one.
    public var events: [OrderEvent]?
    public var message: OrderMessage
    /// Write-backs to Shopify; nil when none was ever queued.
    public var shopifySync: ShopifySync?
    // The one-byte fields last, where they pack behind `message` (a smaller stride than with
    // them in between). Layout only; the JSON is unchanged.
    public var status: OrderStatus
    public var test: Bool

    public init(
        id: UInt64, number: String, customerName: String, phone: String?, phoneRaw: String?, phoneCountry: String?,
        email: String?, totalPrice: String, currency: String, presentmentTotal: String?, presentmentCurrency: String?,
        status: OrderStatus, slot: String?, test: Bool, createdAt: Int64, shopifyUpdatedAt: Int64, arrivedAt: Int64,
        updatedAt: Int64, message: OrderMessage, events: [OrderEvent]? = nil, shopifySync: ShopifySync? = nil
    ) {
        self.id = id
        self.number = number
        self.customerName = customerName
        self.phone = phone
        self.phoneRaw = phoneRaw
        self.phoneCountry = phoneCountry
        self.email = email
        self.totalPrice = totalPrice
        self.currency = currency
        self.presentmentTotal = presentmentTotal
        self.presentmentCurrency = presentmentCurrency
        self.status = status
        self.slot = slot
        self.test = test
        self.createdAt = createdAt
        self.shopifyUpdatedAt = shopifyUpdatedAt
        self.arrivedAt = arrivedAt
        self.updatedAt = updatedAt
        self.message = message
        self.events = events
        self.shopifySync = shopifySync
    }

    /// The full timeline: the implied `received` entry, then the recorded ones.
    public var timeline: [OrderEvent] {
        [OrderEvent(at: arrivedAt, type: "received", status: nil)] + (events ?? [])
    }

    /// Adds `event`; an order keeps its newest ``StoredTextLimit/events`` events.
    mutating func addEvent(_ event: OrderEvent) {
        if events == nil { events = [] }
        events!.append(event)
        if events!.count > StoredTextLimit.events { events!.removeFirst(events!.count - StoredTextLimit.events) }
    }

    enum CodingKeys: String, CodingKey {
        case id, number, customerName = "customer", phone, phoneRaw = "phone_raw", phoneCountry = "phone_country", email
        case totalPrice = "total", currency, presentmentTotal = "p_total", presentmentCurrency = "p_currency", status, slot
        case test, createdAt = "created", shopifyUpdatedAt = "s_updated", arrivedAt = "arrived", updatedAt = "updated"
        case message = "msg", events, shopifySync = "sync"
    }
}
