/// One entry of an order's timeline.
public struct OrderEvent: Codable, Sendable, Equatable {
    /// When it happened, in milliseconds since 1970 (UTC).
    public var at: Int64
    /// What happened: `received`, `status`, `shopify_update`, `reply`, ...
    public var type: String
    /// The status after a status change.
    public var status: OrderStatus?
    /// Who made a status change: `merchant` or `shopify`.
    public var by: String?
    /// Free text (a reply's text, a reason).
    public var text: String?
    /// `shopify_sync`: `tag`, `untag` or `cancel`.
    public var action: String?
    /// `shopify_sync`: `done` or `failed`.
    public var result: String?

    public init(at: Int64, type: String, status: OrderStatus? = nil, by: String? = nil, text: String? = nil,
                action: String? = nil, result: String? = nil) {
        self.at = at
        self.type = type
        self.status = status
        self.by = by
        self.text = text
        self.action = action
        self.result = result
    }
}
