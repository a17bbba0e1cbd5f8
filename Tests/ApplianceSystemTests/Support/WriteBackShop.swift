import ApplianceDomain
import ApplianceTestSupport
import Foundation
import ShopifyAdminFake
import Testing

/// One merchant on the real binary with Shopify write-back pointed at a local
/// ``ShopifyAdminFake`` (`SHOPIFY_ADMIN_URL`): log provider, ask mode, no delay, so a customer's
/// reply can decide an order right after its message went out.
struct WriteBackShop {
    static let appSecret = "meta_app_secret_for_writeback"
    static let phone = "14155552671"

    let harness: SystemHarness
    let fake: ShopifyAdminFake
    let userID: Int
    var server: ServerProcess
    let token: String
    var port: Int { server.port }

    static func start(_ harness: SystemHarness, fake: ShopifyAdminFake, shopify: [String: Any] = [:],
                      adminToken: String? = nil) throws -> WriteBackShop {
        let userID = try harness.initWithUser(email: SystemTests.email, password: SystemTests.password)
        let server = try harness.startServer(environment: ["SHOPIFY_ADMIN_URL": fake.baseURL])
        let token = try ShopifyClient.login(port: server.port, email: SystemTests.email, password: SystemTests.password)
        var shopifySettings: [String: Any] = ["admin_access_token": adminToken ?? "shpat_fake_admin_token",
                                              "shop_domain": "demo-shop.myshopify.com"]
        shopifySettings.merge(shopify) { _, new in new }
        let r = try HTTPConnection(port: server.port).json("PUT", "/api/v1/admin/settings", [
            "shopify_webhook_secret": SystemTests.secret, "whatsapp_provider": "log", "confirmation_mode": "ask",
            "confirmation_delay_minutes": 0, "cloud": ["app_secret": appSecret], "shopify": shopifySettings,
        ], token: token)
        guard r.status == 200 else { throw HarnessError("PUT settings: \(r.status) \(r.text)") }
        return WriteBackShop(harness: harness, fake: fake, userID: userID, server: server, token: token)
    }

    /// Posts a signed delivery of `topic` (default: a new order).
    @discardableResult
    func deliver(id: UInt64, number: Int, topic: String = "orders/create", edit: ((inout [String: Any]) -> Void)? = nil) throws -> HTTPResponse {
        var body = ShopifyClient.orderBody(id: id, number: number)
        if let edit {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            edit(&object)
            body = Array(try JSONSerialization.data(withJSONObject: object))
        }
        let r = try HTTPConnection(port: port).send("POST", "/api/v1/webhooks/\(userID)/\(topic)", headers: [
            ("Content-Type", "application/json"), ("X-Shopify-Topic", topic),
            ("X-Shopify-Webhook-Id", UUID().uuidString.lowercased()), ("X-Shopify-Shop-Domain", "demo-shop.myshopify.com"),
            ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(body: body, secret: SystemTests.secret)),
        ], body: body)
        guard r.status == 200 else { throw HarnessError("delivery \(topic): \(r.status) \(r.text)") }
        return r
    }

    func order(_ id: UInt64) throws -> [String: Any] {
        let r = try HTTPConnection(port: port).json("GET", "/api/v1/admin/orders/\(id)", token: token)
        guard r.status == 200, let o = r.object else { throw HarnessError("GET order \(id): \(r.status) \(r.text)") }
        return o
    }

    func settings() throws -> [String: Any] {
        let r = try HTTPConnection(port: port).json("GET", "/api/v1/admin/settings", token: token)
        guard r.status == 200, let o = r.object else { throw HarnessError("GET settings: \(r.status) \(r.text)") }
        return o
    }

    func putSettings(_ object: [String: Any]) throws -> HTTPResponse {
        try HTTPConnection(port: port).json("PUT", "/api/v1/admin/settings", object, token: token)
    }

    func setStatus(_ id: UInt64, _ status: String) throws {
        let r = try HTTPConnection(port: port).json("POST", "/api/v1/admin/orders/\(id)/status", ["status": status], token: token)
        guard r.status == 200 else { throw HarnessError("status \(status) of \(id): \(r.status) \(r.text)") }
    }

    static func sync(_ order: [String: Any]) -> (state: String?, lastError: String?) {
        let s = order["shopify_sync"] as? [String: Any]
        return (s?["state"] as? String, s?["last_error"] as? String)
    }

    static func syncEvents(_ order: [String: Any]) -> [[String: Any]] {
        (order["events"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "shopify_sync" }
    }

    /// Polls until `condition` holds for the order (the server's state is the event; each poll is
    /// one GET), failing after `seconds`.
    @discardableResult
    func waitForOrder(_ id: UInt64, seconds: Double = 60, _ what: String,
                      _ condition: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var last: [String: Any] = [:]
        while ContinuousClock.now < deadline {
            last = try order(id)
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("order \(id): \(what) did not happen within \(seconds) s; last: \(last)")
    }

    func waitForSyncDone(_ id: UInt64, seconds: Double = 60) async throws -> [String: Any] {
        try await waitForOrder(id, seconds: seconds, "shopify_sync done") { Self.sync($0).state == "done" }
    }

    /// Waits until the order's confirmation went out (ask mode, log provider).
    func waitForMessageSent(_ id: UInt64) async throws {
        try await waitForOrder(id, "message sent") { (($0["message"] as? [String: Any])?["state"] as? String) == "sent" }
    }

    /// A customer's message through Meta's signed callback.
    func customerReply(text: String? = nil, buttonPayload: String? = nil, messageID: String = "wamid.IN\(UUID().uuidString.prefix(8))") throws {
        let message: String
        if let buttonPayload {
            message = #"{"from":"\#(Self.phone)","id":"\#(messageID)","timestamp":"1750030100","type":"button","button":{"payload":"\#(buttonPayload)","text":"No"}}"#
        } else {
            message = #"{"from":"\#(Self.phone)","id":"\#(messageID)","timestamp":"1750030100","type":"text","text":{"body":"\#(text ?? "")"}}"#
        }
        let body = Array("""
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",\
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},\
        "contacts":[{"profile":{"name":"Jessica"},"wa_id":"\(Self.phone)"}],"messages":[\(message)]},"field":"messages"}]}]}
        """.utf8)
        let r = try HTTPConnection(port: port).send("POST", "/api/v1/whatsapp/\(userID)/webhook", headers: [
            ("Content-Type", "application/json"), ("X-Hub-Signature-256", MetaSignature.sign(body: body, appSecret: Self.appSecret)),
        ], body: body)
        guard r.status == 200 else { throw HarnessError("Meta callback: \(r.status) \(r.text)") }
    }

    /// The fake's requests of one kind for one order.
    func requests(_ operation: String, order id: UInt64? = nil) -> [ShopifyAdminFake.Recorded] {
        fake.requests.filter { $0.operation == operation && (id == nil || $0.orderID == id) }
    }
}

/// Runs `body` with a started fake Admin API and a harness, cleaning both up.
func withWriteBackFake(_ configuration: ShopifyAdminFake.Configuration = .init(), name: String = #function,
                       _ body: (SystemHarness, ShopifyAdminFake) async throws -> Void) async throws {
    let harness = try SystemHarness(name: name)
    let fake = try await ShopifyAdminFake.start(configuration)
    do {
        try await body(harness, fake)
    } catch {
        harness.cleanup()
        await fake.stop()
        throw error
    }
    harness.cleanup()
    await fake.stop()
}
