/// One journal record of a tenant. Orders are journaled as their full new state (an upsert),
/// so replay is idempotent and compaction is a plain copy of the index.
public struct TenantRecord: Codable, Sendable {
    /// The record kind.
    public enum Kind: String, Codable, Sendable {
        case account, password, settings, order, rejected, inbox
    }

    public var t: Kind
    public var account: Account?
    /// New password hash (`password`).
    public var hash: String?
    /// When (`password`), ms.
    public var at: Int64?
    public var settings: Settings?
    public var order: Order?
    /// The webhook delivery id that caused an `order` or `rejected` record.
    public var wh: String?
    /// The shop domain of the delivery.
    public var shop: String?
    public var rejected: RejectedDelivery?
    /// A customer message that matched no order (`inbox`).
    public var message: InboxMessage?

    public init(t: Kind) { self.t = t }

    public static func account(_ a: Account) -> TenantRecord {
        var r = TenantRecord(t: .account); r.account = a; return r
    }
    public static func password(_ hash: String, at: Int64) -> TenantRecord {
        var r = TenantRecord(t: .password); r.hash = hash; r.at = at; return r
    }
    public static func settings(_ s: Settings) -> TenantRecord {
        var r = TenantRecord(t: .settings); r.settings = s; return r
    }
    public static func order(_ o: Order, webhook: String?, shop: String?) -> TenantRecord {
        var r = TenantRecord(t: .order); r.order = o; r.wh = webhook; r.shop = shop; return r
    }
    public static func inbox(_ m: InboxMessage) -> TenantRecord {
        var r = TenantRecord(t: .inbox); r.message = m; r.wh = m.id.map { "wamsg:" + $0 }; return r
    }
    public static func rejected(_ d: RejectedDelivery) -> TenantRecord {
        var r = TenantRecord(t: .rejected); r.rejected = d; r.wh = d.webhookID; return r
    }
}
