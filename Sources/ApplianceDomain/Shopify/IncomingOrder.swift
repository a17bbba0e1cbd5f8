/// An order as one Shopify delivery describes it, mapped from the payload and not yet merged
/// with what the tenant already knows.
public struct IncomingOrder: Sendable, Equatable {
    public var id: UInt64
    public var number: String
    public var customerName: String
    public var phone: String?
    public var phoneRaw: String?
    public var phoneCountry: String?
    /// Why no phone is usable, when `phone` is nil.
    public var phoneProblem: String?
    public var email: String?
    public var totalPrice: String
    public var currency: String
    public var presentmentTotal: String?
    public var presentmentCurrency: String?
    public var slot: String?
    public var test: Bool
    /// Shopify's `created_at` (ms), nil when missing or unparsable.
    public var createdAt: Int64?
    /// Shopify's `updated_at` (ms), nil when missing or unparsable.
    public var updatedAt: Int64?
    public var cancelled: Bool
    public var shopDomain: String?
}
