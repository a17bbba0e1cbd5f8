import ApplianceCoding
import Foundation

/// Shopify's Admin GraphQL API over the domain's ``HTTPTransport`` seam (the server plugs in
/// AsyncHTTPClient): `POST <base>/admin/api/2025-01/graphql.json` with `X-Shopify-Access-Token`
/// and a JSON body `{query, variables}`; `<base>` is `https://<shop domain>` or `SHOPIFY_ADMIN_URL`.
public struct ShopifyAdminClient: Sendable {
    public static let apiVersion = "2025-01"

    /// `SHOPIFY_ADMIN_URL` (tests and demos point it at a local fake); nil: `https://<shop domain>`.
    public let baseURL: String?
    let transport: any HTTPTransport
    let timeoutMillis: Int64

    public init(baseURL: String?, transport: any HTTPTransport, timeoutMillis: Int64 = 15_000) {
        var base = baseURL.flatMap { $0.isEmpty ? nil : $0 }
        while base?.hasSuffix("/") == true { base!.removeLast() }
        self.baseURL = base
        self.transport = transport
        self.timeoutMillis = timeoutMillis
    }

    /// The GraphQL endpoint of `shopDomain`.
    public func endpoint(shopDomain: String) -> String {
        (baseURL ?? "https://\(shopDomain)") + "/admin/api/\(Self.apiVersion)/graphql.json"
    }

    static let tagsAdd = """
        mutation tagsAdd($id: ID!, $tags: [String!]!) { tagsAdd(id: $id, tags: $tags) { node { id } userErrors { field message } } }
        """
    static let tagsRemove = """
        mutation tagsRemove($id: ID!, $tags: [String!]!) { tagsRemove(id: $id, tags: $tags) { node { id } userErrors { field message } } }
        """
    static let orderCancel = """
        mutation orderCancel($orderId: ID!, $reason: OrderCancelReason!, $refund: Boolean!, $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) { \
        orderCancel(orderId: $orderId, reason: $reason, refund: $refund, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) { \
        job { id done } orderCancelUserErrors { field message code } } }
        """
    static let shopName = "{ shop { name } }"

    /// The request body of `job` for order `orderID`.
    public static func body(for job: ShopifySync.Job, orderID: UInt64) -> [UInt8] {
        // Written directly (keys in sorted order), not through JSONSerialization, whose Linux
        // implementation was a large share of a write-back's CPU.
        let gid = "gid://shopify/Order/\(orderID)"
        var w = FastJSONWriter(capacity: 640)
        w.beginObject()
        w.key("query")
        switch job.action {
        case .tagsAdd, .tagsRemove:
            w.string(job.action == .tagsAdd ? tagsAdd : tagsRemove)
        case .orderCancel:
            w.string(orderCancel)
        }
        w.key("variables")
        w.beginObject()
        switch job.action {
        case .tagsAdd, .tagsRemove:
            w.key("id"); w.string(gid)
            w.key("tags"); w.beginArray(); w.string(job.tag ?? ""); w.endArray()
        case .orderCancel:
            w.key("notifyCustomer"); w.bool(false)
            w.key("orderId"); w.string(gid)
            w.key("reason"); w.string("CUSTOMER")
            w.key("refund"); w.bool(false)
            w.key("restock"); w.bool(job.restock ?? true)
            w.key("staffNote"); w.string(job.note ?? "Cancelled on WhatsApp")
        }
        w.endObject()
        w.endObject()
        return w.bytes
    }

    /// Runs `job` against the shop and classifies Shopify's answer.
    public func perform(_ job: ShopifySync.Job, orderID: UInt64, shopDomain: String, token: String) async -> ShopifyAdminAnswer {
        let result = await post(Self.body(for: job, orderID: orderID), shopDomain: shopDomain, token: token)
        return ShopifyAdminAnswer.classify(result, field: Self.field(of: job.action))
    }

    /// Runs `{ shop { name } }`: the shop's name, or what Shopify answered in plain words.
    public func shopName(shopDomain: String, token: String) async -> Result<String, ShopifyAdminError> {
        let body = Array((try? JSONSerialization.data(withJSONObject: ["query": Self.shopName])) ?? Data())
        let result = await post(body, shopDomain: shopDomain, token: token)
        let answer = ShopifyAdminAnswer.classify(result, field: "shop")
        switch answer.outcome {
        case .done:
            if case .response(_, let bytes) = result,
               let json = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any],
               let name = ((json["data"] as? [String: Any])?["shop"] as? [String: Any])?["name"] as? String {
                return .success(name)
            }
            return .failure(ShopifyAdminError("Shopify answered without the shop's name"))
        case .alreadyCancelled: return .failure(ShopifyAdminError("unexpected answer"))
        case .userErrors(let m), .retry(let m), .denied(let m): return .failure(ShopifyAdminError(m))
        case .throttled: return .failure(ShopifyAdminError("Shopify is throttling this app (THROTTLED); try again in a few seconds"))
        }
    }

    func post(_ body: [UInt8], shopDomain: String, token: String) async -> TransportResult {
        await transport.post(
            url: endpoint(shopDomain: shopDomain),
            headers: [("X-Shopify-Access-Token", token), ("Content-Type", "application/json"), ("Accept", "application/json")],
            body: body, timeoutMillis: timeoutMillis)
    }

    static func field(of action: ShopifySync.Job.Action) -> String {
        switch action {
        case .tagsAdd: "tagsAdd"
        case .tagsRemove: "tagsRemove"
        case .orderCancel: "orderCancel"
        }
    }
}

/// What Shopify answered, in plain words.
public struct ShopifyAdminError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
