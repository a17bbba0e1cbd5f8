import Foundation

/// One Admin GraphQL answer, classified (CONTRACT "Shopify write-back"), with the bucket state
/// Shopify reported (`extensions.cost`), read from every answer so the next request is paced.
public struct ShopifyAdminAnswer: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case done
        /// `orderCancel` refused because the order is already cancelled: counts as done.
        case alreadyCancelled
        /// `userErrors` / `orderCancelUserErrors`: failed for good, with their messages.
        case userErrors(String)
        /// `THROTTLED`: no request of this tenant before `waitMillis` from now.
        case throttled(waitMillis: Int64)
        /// A connection error, HTTP 429 or 5xx, or an answer that may not have arrived: retried with backoff.
        case retry(String)
        /// HTTP 401/403 or `ACCESS_DENIED` (also 404: no Admin API at that shop domain): the
        /// tenant's write-backs are held until the settings change.
        case denied(String)
    }

    /// `extensions.cost.throttleStatus` and the query's `requestedQueryCost`.
    public struct Cost: Sendable, Equatable {
        public var requested: Double?
        public var maximumAvailable: Double
        public var currentlyAvailable: Double
        public var restoreRate: Double
    }

    public var outcome: Outcome
    public var cost: Cost?

    /// Classifies a transport result of a request whose data sits under `data.<field>`.
    static func classify(_ result: TransportResult, field: String) -> ShopifyAdminAnswer {
        switch result {
        case .notSent(let why):
            return ShopifyAdminAnswer(outcome: .retry("cannot reach Shopify (\(why))"), cost: nil)
        case .lost(let why):
            // Tags are idempotent and a repeated orderCancel answers "already cancelled": retry.
            return ShopifyAdminAnswer(outcome: .retry("no answer from Shopify (\(why))"), cost: nil)
        case .response(let status, let body):
            let json = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
            let cost = json.flatMap(Self.cost(in:))
            return ShopifyAdminAnswer(outcome: outcome(status: status, json: json, body: body, field: field, cost: cost), cost: cost)
        }
    }

    static func outcome(status: Int, json: [String: Any]?, body: [UInt8], field: String, cost: Cost?) -> Outcome {
        let errors = json?["errors"]
        let graphQLErrors = errors as? [[String: Any]] ?? []
        let codes = graphQLErrors.compactMap { ($0["extensions"] as? [String: Any])?["code"] as? String }
        if codes.contains("THROTTLED") || (status == 429 && cost != nil) {
            return .throttled(waitMillis: throttleWait(cost))
        }
        // Only an answer that is not a plain success needs it in words.
        lazy var said = errorText(errors) ?? String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch status {
        case 401:
            return .denied("Shopify refused the Admin API access token (HTTP 401\(said.isEmpty ? "" : ": \(said)"))")
        case 403:
            return .denied("Shopify denied access (HTTP 403\(said.isEmpty ? "" : ": \(said)")); the app needs the write_orders scope")
        case 404:
            return .denied("Shopify has no Admin API at this shop domain (HTTP 404); check shopify.shop_domain")
        case 429:
            return .retry("Shopify answered HTTP 429 (too many requests)")
        case 500...:
            return .retry("Shopify answered HTTP \(status)")
        case 200..<300:
            break
        default:
            return .userErrors("Shopify answered HTTP \(status)\(said.isEmpty ? "" : ": \(said)")")
        }
        if codes.contains("ACCESS_DENIED") {
            return .denied("Shopify denied access (ACCESS_DENIED: \(said)); the app needs the write_orders scope")
        }
        if codes.contains("INTERNAL_SERVER_ERROR") { return .retry("Shopify reported an internal error: \(said)") }
        if !graphQLErrors.isEmpty || errors is String { return .userErrors("Shopify refused the request: \(said)") }
        guard let data = json?["data"] as? [String: Any], let payload = data[field], !(payload is NSNull) else {
            return .userErrors("Shopify answered without \(field) data")
        }
        guard let object = payload as? [String: Any] else { return .done }
        let userErrors = (object["orderCancelUserErrors"] as? [[String: Any]] ?? []) + (object["userErrors"] as? [[String: Any]] ?? [])
        if userErrors.isEmpty { return .done }
        let messages = userErrors.compactMap { $0["message"] as? String }
        if field == "orderCancel", messages.contains(where: isAlreadyCancelled) { return .alreadyCancelled }
        return .userErrors(messages.isEmpty ? "Shopify refused the change" : messages.joined(separator: "; "))
    }

    /// "Order has already been cancelled", "Cannot cancel an order that has already been canceled", ...
    static func isAlreadyCancelled(_ message: String) -> Bool {
        let m = message.lowercased()
        return m.contains("already") && (m.contains("cancelled") || m.contains("canceled"))
    }

    /// (requestedQueryCost − currentlyAvailable) / restoreRate seconds, in ms (1 s when unknown).
    static func throttleWait(_ cost: Cost?) -> Int64 {
        guard let cost, cost.restoreRate > 0 else { return 1000 }
        let needed = max(0, (cost.requested ?? 10) - cost.currentlyAvailable)
        return max(1, Int64((needed / cost.restoreRate * 1000).rounded(.up)))
    }

    static func cost(in json: [String: Any]) -> Cost? {
        guard let cost = (json["extensions"] as? [String: Any])?["cost"] as? [String: Any],
              let status = cost["throttleStatus"] as? [String: Any],
              let maximum = number(status["maximumAvailable"]), let available = number(status["currentlyAvailable"]),
              let rate = number(status["restoreRate"])
        else { return nil }
        return Cost(requested: number(cost["requestedQueryCost"]), maximumAvailable: maximum, currentlyAvailable: available, restoreRate: rate)
    }

    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return nil
    }

    /// The `errors` of an answer as text: a string (`{"errors": "[API] Invalid API key …"}`), or
    /// the messages of a list.
    static func errorText(_ errors: Any?) -> String? {
        if let s = errors as? String { return s }
        if let list = errors as? [[String: Any]] {
            let messages = list.compactMap { $0["message"] as? String }
            return messages.isEmpty ? nil : messages.joined(separator: "; ")
        }
        return nil
    }
}
