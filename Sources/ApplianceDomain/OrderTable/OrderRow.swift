/// One order inside an ``OrderTable``: its numbers inline, its texts as offsets of records in
/// the table's ``TextArena``. 80 bytes, a fraction of an ``Order`` value, which also needs its
/// strings' own allocations.
struct OrderRow: Sendable {
    /// The offset of an absent record.
    static let none = UInt32.max

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let test = Flags(rawValue: 1)
        static let hasScheduledAt = Flags(rawValue: 2)
        static let hasFirstAttemptAt = Flags(rawValue: 4)
        /// The order has a ``ShopifySync`` (kept beside the rows, in ``OrderTable/syncs``).
        static let hasSync = Flags(rawValue: 8)
    }

    var id: UInt64
    var createdAt: Int64
    var shopifyUpdatedAt: Int64
    var arrivedAt: Int64
    var updatedAt: Int64
    /// Meaningful when ``flags`` has ``Flags/hasScheduledAt``.
    var scheduledAt: Int64
    /// Meaningful when ``flags`` has ``Flags/hasFirstAttemptAt``.
    var firstAttemptAt: Int64
    var attempts: Int
    /// The order's texts (number, customer, phone, email, amounts, slot).
    var texts: UInt32
    /// The message's texts (provider, last error, provider message id), or ``none``.
    var messageTexts: UInt32
    /// The timeline entries, or ``none`` when the order has no `events`.
    var events: UInt32
    /// ``OrderStatus`` index.
    var status: UInt8
    /// ``MessageState`` index.
    var messageState: UInt8
    var flags: Flags
}
