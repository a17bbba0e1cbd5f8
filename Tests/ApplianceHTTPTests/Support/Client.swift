import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// A signed-up or logged-in merchant.
struct Session: Sendable {
    let id: Int
    let email: String
    let token: String
    /// The Shopify secret this test set for the tenant (what `deliver` signs with).
    var secret = TestSecrets.shopify
}

/// Routes of the webhook endpoint.
enum WebhookRoute: Sendable {
    /// `/api/v1/webhooks/<id>` with the topic in `X-Shopify-Topic`.
    case generic
    /// `/api/v1/webhooks/<id>/<topic>`.
    case topicPath
}

extension HTTPField.Name {
    static let shopifyHmac = Self("X-Shopify-Hmac-Sha256")!
    static let shopifyTopic = Self("X-Shopify-Topic")!
    static let shopifyWebhookID = Self("X-Shopify-Webhook-Id")!
    static let shopifyShopDomain = Self("X-Shopify-Shop-Domain")!
}

extension TestClientProtocol {
    // MARK: Accounts

    func signupResponse(_ email: String, _ password: String) async throws -> TestResponse {
        try await send(.post, "/api/v1/auth/signup", json: credentials(email, password))
    }

    func loginResponse(_ email: String, _ password: String) async throws -> TestResponse {
        try await send(.post, "/api/v1/auth/login", json: credentials(email, password))
    }

    /// Signs up and returns the session (the sign-up must succeed).
    @discardableResult
    func signup(_ email: String, _ password: String = "correct horse battery") async throws -> Session {
        let r = try await signupResponse(email, password)
        try #require(r.status == .created, "signup \(email): \(r.status) \(r.text)")
        let id = try #require(r.json["user"]["id"].int)
        let token = try #require(r.json["access_token"].string)
        return Session(id: id, email: try #require(r.json["user"]["email"].string), token: token)
    }

    func login(_ email: String, _ password: String = "correct horse battery") async throws -> Session {
        let r = try await loginResponse(email, password)
        try #require(r.status == .ok, "login \(email): \(r.status) \(r.text)")
        return Session(id: try #require(r.json["user"]["id"].int), email: try #require(r.json["user"]["email"].string),
                       token: try #require(r.json["access_token"].string))
    }

    // MARK: Settings

    func settings(_ s: Session) async throws -> JSON {
        let r = try await get("/api/v1/admin/settings", token: s.token)
        try #require(r.status == .ok, "GET settings: \(r.status) \(r.text)")
        return r.json
    }

    func putSettings(_ s: Session, _ json: String) async throws -> TestResponse {
        try await send(.put, "/api/v1/admin/settings", token: s.token, json: json)
    }

    /// Sets the tenant's Shopify signing secret (must succeed).
    func setSecret(_ s: Session, _ secret: String = TestSecrets.shopify) async throws {
        let r = try await putSettings(s, #"{"shopify_webhook_secret": "\#(secret)"}"#)
        try #require(r.status == .ok, "PUT secret: \(r.status) \(r.text)")
    }

    /// A merchant with a Shopify secret set: the usual starting point.
    func merchant(_ email: String, secret: String = TestSecrets.shopify) async throws -> Session {
        var s = try await signup(email)
        try await setSecret(s, secret)
        s.secret = secret
        return s
    }

    // MARK: Webhooks

    /// Posts `body` as Shopify would, signed with `secret` (or with `signature` as given).
    func webhook(
        to userID: Int, _ body: [UInt8], topic: String? = "orders/create", route: WebhookRoute = .generic,
        secret: String = TestSecrets.shopify, signature: String?? = nil, webhookID: String? = UUID().uuidString,
        shop: String? = "demo-shop.myshopify.com"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        let sig: String? = signature ?? ShopifySignature.sign(body: body, secret: secret)
        if let sig { headers[.shopifyHmac] = sig }
        if let webhookID { headers[.shopifyWebhookID] = webhookID }
        if let shop { headers[.shopifyShopDomain] = shop }
        let uri: String
        switch route {
        case .generic:
            uri = "/api/v1/webhooks/\(userID)"
            if let topic { headers[.shopifyTopic] = topic }
        case .topicPath:
            uri = "/api/v1/webhooks/\(userID)/\(topic ?? "orders/create")"
        }
        return try await send(.post, uri, body: body, headers: headers)
    }

    /// Posts an order webhook that must be accepted.
    func deliver(_ order: ShopifyOrder, to s: Session, topic: String = "orders/create", webhookID: String? = UUID().uuidString) async throws {
        let r = try await webhook(to: s.id, order.bytes, topic: topic, secret: s.secret, webhookID: webhookID)
        try #require(r.status == .ok, "webhook \(topic) for order \(order.id): \(r.status) \(r.text)")
        try #require(r.json["status"].string == "accepted", "webhook \(topic) for order \(order.id): \(r.text)")
    }

    // MARK: Orders

    func order(_ s: Session, _ id: UInt64) async throws -> TestResponse {
        try await get("/api/v1/admin/orders/\(id)", token: s.token)
    }

    /// The order as the API shows it (must exist).
    func requireOrder(_ s: Session, _ id: UInt64) async throws -> JSON {
        let r = try await order(s, id)
        try #require(r.status == .ok, "GET order \(id): \(r.status) \(r.text)")
        return r.json
    }

    func orders(_ s: Session, _ query: String = "") async throws -> TestResponse {
        try await get("/api/v1/admin/orders" + (query.isEmpty ? "" : "?" + query), token: s.token)
    }

    /// The ids of one page of the listing (must succeed).
    func orderIDs(_ s: Session, _ query: String = "") async throws -> [String] {
        let r = try await orders(s, query)
        try #require(r.status == .ok, "GET orders?\(query): \(r.status) \(r.text)")
        return (r.json["orders"].array ?? []).compactMap { $0["id"].string }
    }

    func setStatus(_ s: Session, _ id: UInt64, _ status: String) async throws -> TestResponse {
        try await send(.post, "/api/v1/admin/orders/\(id)/status", token: s.token, json: #"{"status": "\#(status)"}"#)
    }

    func resend(_ s: Session, _ id: UInt64) async throws -> TestResponse {
        try await send(.post, "/api/v1/admin/orders/\(id)/resend", token: s.token)
    }

    func rejected(_ s: Session) async throws -> [JSON] {
        let r = try await get("/api/v1/admin/webhooks/rejected", token: s.token)
        try #require(r.status == .ok, "GET rejected: \(r.status) \(r.text)")
        return try #require(r.json["rejected"].array)
    }

    private func credentials(_ email: String, _ password: String) -> String {
        let data = try! JSONSerialization.data(withJSONObject: ["email": email, "password": password])
        return String(decoding: data, as: UTF8.self)
    }
}

enum TestSecrets {
    static let shopify = "shpss_test_secret_0123456789abcdef"
}
