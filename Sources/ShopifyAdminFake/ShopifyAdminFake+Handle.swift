import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Synchronization

/// A change to echo to the appliance as Shopify would (all Sendable, built into JSON after the lock).
struct Echo: Sendable {
    var topic: String
    var payload: [UInt8]
    var tags: String?
    var cancelledAt: String?
    var url: String
    var secret: String
}

extension ShopifyAdminFake {
    func handle(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let token = request.headers[HTTPField.Name("X-Shopify-Access-Token")!]
        let json = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
        let query = json["query"] as? String ?? ""
        let variables = json["variables"] as? [String: Any] ?? [:]
        let operation = Self.operation(of: query)
        let gid = (variables["id"] ?? variables["orderId"]) as? String
        let orderID = gid.flatMap { $0.hasPrefix("gid://shopify/Order/") ? UInt64($0.dropFirst("gid://shopify/Order/".count)) : nil }
        var recorded = Recorded(
            at: Self.now(), operation: operation, orderID: orderID, tags: variables["tags"] as? [String] ?? [],
            restock: variables["restock"] as? Bool, refund: variables["refund"] as? Bool,
            notifyCustomer: variables["notifyCustomer"] as? Bool, reason: variables["reason"] as? String,
            staffNote: variables["staffNote"] as? String, gid: gid, bucketLevel: 0, answer: "ok", token: token)

        let latency = state.withLock { s -> Int in
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            return s.configuration.latencyMillis
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        if latency > 0 { try? await Task.sleep(for: .milliseconds(latency)) }

        var echo: Echo?
        let (status, answer): (Int, [String: Any]) = state.withLock { s in
            let config = s.configuration
            // Leaky bucket: refill at the restore rate since the last look.
            let now = Self.now()
            s.available = min(config.maximumAvailable, s.available + config.restoreRate * Double(now - s.filledAt) / 1000)
            s.filledAt = now
            if let level = s.drainAtNextRequest {
                s.available = level
                s.drainAtNextRequest = nil
            }
            recorded.bucketLevel = s.available
            defer { s.requests.append(recorded) }
            if !s.failures.isEmpty {
                let code = s.failures.removeFirst()
                recorded.answer = "server_error"
                return (code, ["errors": "Internal Server Error"])
            }
            guard token == config.token else {
                recorded.answer = "unauthorized"
                return (401, ["errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"])
            }
            let requested = operation == "shop" ? config.queryCost : config.mutationCost
            func cost(actual: Double?) -> [String: Any] {
                ["cost": [
                    "requestedQueryCost": requested, "actualQueryCost": actual as Any? ?? NSNull(),
                    "throttleStatus": ["maximumAvailable": config.maximumAvailable, "currentlyAvailable": s.available,
                                       "restoreRate": config.restoreRate],
                ] as [String: Any]]
            }
            guard s.available >= requested else {
                recorded.answer = "throttled"
                return (200, ["errors": [["message": "Throttled", "extensions": [
                    "code": "THROTTLED", "documentation": "https://shopify.dev/api/usage/rate-limits"]]],
                              "extensions": cost(actual: nil)])
            }
            s.available -= requested
            if operation != "shop" && !config.grantedWrite {
                recorded.answer = "access_denied"
                return (200, ["errors": [["message": "Access denied for \(operation) field. Required access: `write_orders` access scope.",
                                          "extensions": ["code": "ACCESS_DENIED",
                                                         "documentation": "https://shopify.dev/api/usage/access-scopes",
                                                         "requiredAccess": "`write_orders` access scope."]]],
                              "extensions": cost(actual: requested)])
            }
            let exists = orderID.map { !s.unknownOrders.contains($0) } ?? false
            switch operation {
            case "shop":
                return (200, ["data": ["shop": ["name": config.shopName]], "extensions": cost(actual: requested)])
            case "tagsAdd", "tagsRemove":
                guard let orderID, exists else {
                    recorded.answer = "user_error"
                    return (200, ["data": [operation: ["node": NSNull(), "userErrors": [["field": ["id"], "message": "Order does not exist"]]]],
                                  "extensions": cost(actual: requested)])
                }
                var order = s.orders[orderID] ?? OrderState()
                if operation == "tagsAdd" { order.tags.formUnion(recorded.tags) } else { order.tags.subtract(recorded.tags) }
                s.orders[orderID] = order
                if let e = config.echo, let payload = s.payloads[orderID] {
                    echo = Echo(topic: "orders/updated", payload: payload, tags: order.tags.sorted().joined(separator: ", "),
                                url: e.url, secret: e.secret)
                }
                return (200, ["data": [operation: ["node": ["id": gid!], "userErrors": [] as [Any]]], "extensions": cost(actual: requested)])
            case "orderCancel":
                guard let orderID, exists else {
                    recorded.answer = "user_error"
                    return (200, ["data": ["orderCancel": ["job": NSNull(), "orderCancelUserErrors": [
                        ["field": ["orderId"], "message": "Order does not exist", "code": "NOT_FOUND"]]]],
                                  "extensions": cost(actual: requested)])
                }
                var order = s.orders[orderID] ?? OrderState()
                if order.cancelled {
                    recorded.answer = "already_cancelled"
                    return (200, ["data": ["orderCancel": ["job": NSNull(), "orderCancelUserErrors": [
                        ["field": ["orderId"], "message": "Cannot cancel an order that has already been cancelled", "code": "INVALID"]]]],
                                  "extensions": cost(actual: requested)])
                }
                order.cancelled = true
                order.restocked = recorded.restock
                s.orders[orderID] = order
                if let e = config.echo, let payload = s.payloads[orderID] {
                    echo = Echo(topic: "orders/cancelled", payload: payload, tags: order.tags.sorted().joined(separator: ", "),
                                cancelledAt: Self.iso(now), url: e.url, secret: e.secret)
                }
                return (200, ["data": ["orderCancel": ["job": ["id": "gid://shopify/Job/\(UUID().uuidString.lowercased())", "done": false],
                                                       "orderCancelUserErrors": [] as [Any]]],
                              "extensions": cost(actual: requested)])
            default:
                recorded.answer = "user_error"
                return (200, ["errors": [["message": "the fake does not know this operation", "extensions": ["code": "BAD_REQUEST"]]]])
            }
        }
        if let echo { await sendEcho(echo) }
        let data = try JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])
        return Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Posts a signed delivery of `topic` to the appliance (Shopify's echo of a change), with a
    /// newer `updated_at`.
    func sendEcho(_ echo: Echo) async {
        guard var p = (try? JSONSerialization.jsonObject(with: Data(echo.payload))) as? [String: Any] else { return }
        let (topic, url, secret) = (echo.topic, echo.url, echo.secret)
        if let tags = echo.tags { p["tags"] = tags }
        if let cancelled = echo.cancelledAt {
            p["cancelled_at"] = cancelled
            p["cancel_reason"] = "customer"
        }
        let sequence = state.withLock { s -> Int in
            s.echoSequence += 1
            return s.echoSequence
        }
        p["updated_at"] = Self.iso(Self.now() + 1000)
        guard let body = try? JSONSerialization.data(withJSONObject: p, options: [.sortedKeys]) else { return }
        var request = HTTPClientRequest(url: url + "/" + topic)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Shopify-Topic", value: topic)
        request.headers.add(name: "X-Shopify-Webhook-Id", value: "fake-echo-\(sequence)-\(UUID().uuidString.lowercased())")
        request.headers.add(name: "X-Shopify-Shop-Domain", value: "demo-shop.myshopify.com")
        request.headers.add(name: "X-Shopify-Hmac-Sha256", value: Self.sign(Array(body), secret: secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        _ = try? await HTTPClient.shared.execute(request, timeout: .seconds(10))
    }

    static func operation(of query: String) -> String {
        for name in ["tagsAdd", "tagsRemove", "orderCancel"] where query.contains("\(name)(") { return name }
        if query.replacingOccurrences(of: " ", with: "").contains("shop{") { return "shop" }
        return "unknown"
    }

    static func iso(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000))
    }
}

import COpenSSL

extension ShopifyAdminFake {
    /// `X-Shopify-Hmac-Sha256`: base64 of HMAC-SHA256 of the body under the webhook secret.
    static func sign(_ body: [UInt8], secret: String) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 32
        let key = Array(secret.utf8)
        key.withUnsafeBytes { k in
            body.withUnsafeBytes { m in
                out.withUnsafeMutableBytes { o in
                    _ = HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count,
                             o.baseAddress!.assumingMemoryBound(to: UInt8.self), &length)
                }
            }
        }
        return Data(out).base64EncodedString()
    }
}
