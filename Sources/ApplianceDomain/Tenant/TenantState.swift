/// Everything one tenant has, in memory: account, settings, orders with their indexes
/// (by id, by arrival for newest-first listing, status counts, delivery ids), rejected deliveries.
///
/// A value type: the tenant actor owns one, compaction copies it in O(1) (copy-on-write) and
/// snapshots the copy while writes continue.
public struct TenantState: Sendable {
    public var account: Account?
    public var settings = Settings()
    /// The shop domain of the latest delivery (`X-Shopify-Shop-Domain`).
    public var shopDomain: String?
    /// Orders in arrival order (oldest first), packed; a position never changes.
    public internal(set) var orders = OrderTable()
    /// Position in `orders` by Shopify order id.
    public internal(set) var positions: [UInt64: Int32] = [:]
    /// Orders per status, indexed by ``OrderStatus``.
    public internal(set) var statusCounts = [0, 0, 0, 0]
    public internal(set) var webhooks = WebhookLog()
    /// Rejected deliveries, oldest first, at most ``rejectedCapacity``.
    public internal(set) var rejected: [RejectedDelivery] = []

    /// Customer messages that matched no order, oldest first (at most ``rejectedCapacity``).
    public internal(set) var inbox: [InboxMessage] = []
    /// Order id by the provider's message id (wamid) of its confirmation.
    public internal(set) var orderByMessageID: [String: UInt64] = [:]
    /// The most recently messaged order by customer phone (E.164).
    public internal(set) var lastMessagedByPhone: [String: UInt64] = [:]

    /// How many rejected deliveries are kept.
    public static let rejectedCapacity = 200

    public init() {}

    /// The order with Shopify id `id`.
    public func order(_ id: UInt64) -> Order? {
        positions[id].map { orders[Int($0)] }
    }

    /// Inserts or replaces an order, keeping the indexes right.
    public mutating func upsert(_ order: Order) {
        if let pos = positions[order.id] {
            statusCounts[orders.status(at: Int(pos)).index] -= 1
            orders.replace(at: Int(pos), with: order)
        } else {
            positions[order.id] = Int32(orders.count)
            orders.append(order)
        }
        statusCounts[order.status.index] += 1
        if let messageID = order.message.messageID {
            if orderByMessageID[messageID] == nil, let phone = order.phone { lastMessagedByPhone[phone] = order.id }
            orderByMessageID[messageID] = order.id
        }
    }

    mutating func addRejected(_ delivery: RejectedDelivery) {
        rejected.append(delivery)
        if rejected.count > Self.rejectedCapacity { rejected.removeFirst(rejected.count - Self.rejectedCapacity) }
        if let id = delivery.webhookID { webhooks.insert(id) }
    }

    /// Applies one journal record (replay at boot, or the live path after enqueueing it).
    /// `webhookDigest`: the digest of the record's `wh`, when the caller computed it already.
    public mutating func apply(_ record: TenantRecord, webhookDigest: WebhookLog.Digest? = nil) {
        switch record.t {
        case .account:
            if let a = record.account { account = a }
        case .password:
            if let hash = record.hash, account != nil {
                account!.passwordHash = hash
                account!.passwordChangedAt = record.at ?? account!.passwordChangedAt
            }
        case .settings:
            if let s = record.settings { settings = s }
        case .order:
            if let o = record.order { upsert(o) }
            if let webhookDigest, record.wh != nil { webhooks.insert(webhookDigest) } else if let wh = record.wh { webhooks.insert(wh) }
            if let shop = record.shop { shopDomain = shop }
        case .rejected:
            if let d = record.rejected { addRejected(d) }
        case .inbox:
            if let m = record.message {
                inbox.append(m)
                if inbox.count > Self.rejectedCapacity { inbox.removeFirst(inbox.count - Self.rejectedCapacity) }
            }
            if let wh = record.wh { webhooks.insert(wh) }
        }
    }

    /// Gives back the spare capacity the boot replay left in the order table. A snapshot's
    /// orders are decoded into a table of exactly their count, so the journal tail after it
    /// doubles the table on its first append. Called once per tenant after loading; later
    /// growth is the arrays' usual.
    mutating func releaseSpareCapacity() {
        orders.releaseSpareCapacity()
    }

    mutating func restore(orders: OrderTable, webhooks: WebhookLog, rejected: [RejectedDelivery]) {
        self.orders = orders
        self.positions = Dictionary(minimumCapacity: orders.count)
        self.statusCounts = [0, 0, 0, 0]
        for i in orders.indices {
            let id = orders.id(at: i)
            positions[id] = Int32(i)
            statusCounts[orders.status(at: i).index] += 1
            if orders.hasMessageTexts(at: i) {
                let o = orders[i]
                if let messageID = o.message.messageID {
                    orderByMessageID[messageID] = o.id
                    if let phone = o.phone { lastMessagedByPhone[phone] = o.id }
                }
            }
        }
        self.webhooks = webhooks
        self.rejected = rejected
    }
}
