import DequeModule

/// The webhook delivery ids a tenant has applied (`X-Shopify-Webhook-Id`), kept as 128-bit
/// digests in a set plus a FIFO so memory stays bounded: the oldest ids beyond `capacity` are
/// forgotten (Shopify retries a delivery for hours, not for hundreds of thousands of orders).
public struct WebhookLog: Sendable {
    /// A 128-bit digest of a delivery id.
    public struct Digest: Hashable, Sendable {
        public var hi: UInt64
        public var lo: UInt64

        public init(hi: UInt64, lo: UInt64) {
            self.hi = hi
            self.lo = lo
        }

        /// The first 128 bits of SHA-256 of the id.
        public init(_ id: String) {
            let (hi, lo) = HMACSHA256.sha256Prefix(of: id)
            self.init(hi: hi, lo: lo)
        }
    }

    public let capacity: Int
    private(set) var set: Set<Digest> = []
    private(set) var order: Deque<Digest> = []

    public init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    public func contains(_ id: String) -> Bool { set.contains(Digest(id)) }

    /// Whether the id with this digest was seen (a caller that also inserts it hashes it once).
    public func contains(_ digest: Digest) -> Bool { set.contains(digest) }

    public mutating func insert(_ id: String) { insert(Digest(id)) }

    public mutating func insert(_ digest: Digest) {
        guard set.insert(digest).inserted else { return }
        order.append(digest)
        if order.count > capacity, let old = order.popFirst() { set.remove(old) }
    }

    /// The digests, oldest first.
    public var digests: Deque<Digest> { order }
    public var count: Int { order.count }
}
