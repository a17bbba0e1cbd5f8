import ApplianceDomain
/// One demo order: who bought what, and what happens to it afterwards.
struct DemoOrder: Sendable {
    /// What the generator does after the order arrives.
    enum Fate: Sendable {
        /// Still waiting for its confirmation (due in the future).
        case scheduled
        /// Sent; then the delivery statuses reported, then optionally a reply.
        case sent(statuses: [String], reply: String?)
        /// Sent, confirmed by the customer, then fulfilled in Shopify.
        case delivered
        /// The provider refused it for good.
        case failed(String)
        /// The send may or may not have reached WhatsApp.
        case unknown(String)
        /// Cancelled in Shopify before the confirmation went out.
        case cancelledBeforeSend
        /// A test order (stored, never messaged).
        case test
    }

    var id: UInt64
    var number: Int
    var first: String
    var last: String
    var phone: String
    var country: String
    var city: String
    var total: String
    var currency: String
    var slot: String?
    /// Hours before generation time the order was placed.
    var hoursAgo: Double
    var fate: Fate
}
