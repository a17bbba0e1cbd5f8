import ApplianceCoding
import Foundation
import Testing
@testable import ApplianceDomain

/// Shopify write-back without a server: the answers' classification (on Shopify's documented
/// shapes, `Tests/Fixtures/shopify-admin`), the rules that queue jobs, the settings.
@Suite struct ShopifyWriteBackUnitTests {
    static func answer(_ fixture: String, status: Int = 200, field: String) throws -> ShopifyAdminAnswer {
        ShopifyAdminAnswer.classify(.response(status: status, body: try Fixtures.bytes("shopify-admin/\(fixture)")), field: field)
    }

    @Test func answersAreClassifiedAsTheContractSays() throws {
        let done = try Self.answer("tagsAdd.success.json", field: "tagsAdd")
        #expect(done.outcome == .done)
        #expect(done.cost == .init(requested: 10, maximumAvailable: 2000, currentlyAvailable: 1990, restoreRate: 100))
        #expect(try Self.answer("tagsAdd.userErrors.json", field: "tagsAdd").outcome == .userErrors("Order does not exist"))
        #expect(try Self.answer("orderCancel.success.json", field: "orderCancel").outcome == .done)
        #expect(try Self.answer("orderCancel.alreadyCancelled.json", field: "orderCancel").outcome == .alreadyCancelled)
        // (requestedQueryCost 752 − currentlyAvailable 666) / restoreRate 50 = 1.72 s.
        #expect(try Self.answer("throttled.json", field: "tagsAdd").outcome == .throttled(waitMillis: 1720))
        guard case .denied(let why) = try Self.answer("accessDenied.json", field: "tagsAdd").outcome else {
            Issue.record("ACCESS_DENIED must hold")
            return
        }
        #expect(why.contains("write_orders"))
        guard case .denied(let refused) = try Self.answer("unauthorized.json", status: 401, field: "tagsAdd").outcome else {
            Issue.record("401 must hold")
            return
        }
        #expect(refused.contains("Invalid API key or access token"))
        #expect(ShopifyAdminAnswer.classify(.response(status: 403, body: []), field: "tagsAdd").outcome.isDenied)
        #expect(ShopifyAdminAnswer.classify(.response(status: 503, body: Array("oops".utf8)), field: "tagsAdd").outcome.isRetry)
        #expect(ShopifyAdminAnswer.classify(.response(status: 429, body: []), field: "tagsAdd").outcome.isRetry)
        #expect(ShopifyAdminAnswer.classify(.notSent("refused"), field: "tagsAdd").outcome.isRetry)
        #expect(ShopifyAdminAnswer.classify(.lost("timeout"), field: "orderCancel").outcome.isRetry)
    }

    @Test func requestsAreShopifysWireFormat() throws {
        let body = ShopifyAdminClient.body(for: .init(action: .orderCancel, restock: false, note: "note"), orderID: 820_982_911_946_154_508)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
        let variables = try #require(object["variables"] as? [String: Any])
        #expect((object["query"] as? String)?.contains("orderCancelUserErrors") == true)
        #expect(variables["orderId"] as? String == "gid://shopify/Order/820982911946154508")
        #expect(variables["reason"] as? String == "CUSTOMER")
        #expect(variables["refund"] as? Bool == false && variables["restock"] as? Bool == false && variables["notifyCustomer"] as? Bool == false)
        let client = ShopifyAdminClient(baseURL: nil, transport: NoTransport())
        #expect(client.endpoint(shopDomain: "demo.myshopify.com") == "https://demo.myshopify.com/admin/api/2025-01/graphql.json")
        #expect(ShopifyAdminClient(baseURL: "http://127.0.0.1:9/", transport: NoTransport()).endpoint(shopDomain: "x.com")
            == "http://127.0.0.1:9/admin/api/2025-01/graphql.json")
    }

    struct NoTransport: HTTPTransport {
        func post(url: String, headers: [(String, String)], body: [UInt8], timeoutMillis: Int64) async -> TransportResult { .notSent("none") }
    }

    static func order(_ status: OrderStatus = .pending) -> Order {
        Order(id: 42, number: "#1001", customerName: "A", phone: nil, phoneRaw: nil, phoneCountry: nil, email: nil, totalPrice: "1.00",
              currency: "EUR", presentmentTotal: nil, presentmentCurrency: nil, status: status, slot: nil, test: false, createdAt: 0,
              shopifyUpdatedAt: 0, arrivedAt: 0, updatedAt: 0, message: OrderMessage(state: .sent))
    }

    static func jobs(_ o: Order) -> [String] {
        (o.shopifySync?.jobs ?? []).map { "\($0.action.rawValue) \($0.tag ?? "")".trimmingCharacters(in: .whitespaces) }
    }

    @Test func statusChangesQueueTheContractsWriteBacks() {
        var settings = Settings.Shopify()
        var o = Self.order()
        #expect(!ShopifyWriteBackRules.queue(&o, becoming: .confirmed, by: .customer, settings: settings), "no token: off")
        #expect(o.shopifySync == nil)
        settings.adminAccessToken = "shpat_x"
        ShopifyWriteBackRules.queue(&o, becoming: .confirmed, by: .customer, settings: settings)
        #expect(Self.jobs(o) == ["tags_add whatsapp-confirmed"])
        #expect(o.shopifySync?.state == .pending)
        ShopifyWriteBackRules.queue(&o, becoming: .cancelled, by: .merchant, settings: settings)
        #expect(Self.jobs(o) == ["tags_add whatsapp-confirmed", "tags_add whatsapp-cancelled", "tags_remove whatsapp-confirmed"])
        settings.cancelOrders = true
        settings.restock = false
        var c = Self.order()
        ShopifyWriteBackRules.queue(&c, becoming: .cancelled, by: .customer, settings: settings)
        #expect(Self.jobs(c) == ["tags_add whatsapp-cancelled", "order_cancel"])
        #expect(c.shopifySync?.jobs.last?.restock == false)
        ShopifyWriteBackRules.queue(&c, becoming: .pending, by: .merchant, settings: settings)
        ShopifyWriteBackRules.queue(&c, becoming: .cancelled, by: .merchant, settings: settings)
        #expect(c.shopifySync?.jobs.filter { $0.action == .orderCancel }.count == 1, "never a second orderCancel")
        #expect(ShopifyWriteBackRules.isEchoOfOwnCancel(c, target: .cancelled))
    }

    @Test func theEchoOfOurOwnCancellationFlipsNothing() throws {
        var settings = Settings()
        settings.shopify.adminAccessToken = "shpat_x"
        settings.shopify.cancelOrders = true
        var o = Self.order(.cancelled)
        ShopifyWriteBackRules.queue(&o, becoming: .cancelled, by: .customer, settings: settings.shopify)
        o.status = .pending  // reopened by the merchant
        let incoming = IncomingOrder(id: 42, number: "#1001", customerName: "A", phone: nil, phoneRaw: nil, phoneCountry: nil,
                                     phoneProblem: nil, email: nil, totalPrice: "1.00", currency: "EUR", presentmentTotal: nil,
                                     presentmentCurrency: nil, slot: nil, test: false, createdAt: 0, updatedAt: 1, cancelled: true,
                                     shopDomain: nil)
        let merged = OrderMerge.merge(existing: o, incoming: incoming, topic: .ordersCancelled, settings: settings, now: 5)
        #expect((merged ?? o).status == .pending)
        // Without our own orderCancel, Shopify's cancellation is the merchant's and applies.
        var other = Self.order(.pending)
        other.id = 42
        #expect(OrderMerge.merge(existing: other, incoming: incoming, topic: .ordersCancelled, settings: settings, now: 5)?.status == .cancelled)
    }

    @Test func settingsValidateAndMergeFieldByField() throws {
        var s = Settings()
        s = try s.applying(["shopify": ["admin_access_token": "shpat_1", "shop_domain": "https://My-Shop.myshopify.com/", "cancel_orders": true]])
        #expect(s.shopify.adminAccessToken == "shpat_1" && s.shopify.shopDomain == "my-shop.myshopify.com" && s.shopify.effectiveCancelOrders)
        s = try s.applying(["shopify": ["confirm_tag": "ok-by-phone"]])
        #expect(s.shopify.adminAccessToken == "shpat_1" && s.shopify.effectiveConfirmTag == "ok-by-phone")
        s = try s.applying(["shopify": ["confirm_tag": "", "shop_domain": .null]])
        #expect(s.shopify.effectiveConfirmTag == "whatsapp-confirmed" && s.shopify.shopDomain == nil)
        #expect(s.shopifyDomain(latestDelivery: "demo.myshopify.com") == "demo.myshopify.com")
        #expect(s.shopify.effectiveRestock)
        for (patch, field) in [(["cancel_tag": JSONValue.string("a,b")], "shopify.cancel_tag"),
                               (["confirm_tag": .string(String(repeating: "x", count: 41))], "shopify.confirm_tag"),
                               (["shop_domain": .string("not a domain")], "shopify.shop_domain"),
                               (["cancel_orders": .string("yes")], "shopify.cancel_orders"),
                               (["nope": .bool(true)], "shopify.nope")] {
            #expect(throws: DomainError.self) { try s.applying(["shopify": .object(patch)]) }
            do { _ = try s.applying(["shopify": .object(patch)]) } catch { #expect(error.message.hasPrefix(field), "\(error.message)") }
        }
        #expect(try s.applying(["shopify": ["confirm_tag": .string(String(repeating: "é", count: 40))]]).shopify.confirmTag?.count == 40)
    }
}

extension ShopifyAdminAnswer.Outcome {
    var isDenied: Bool { if case .denied = self { true } else { false } }
    var isRetry: Bool { if case .retry = self { true } else { false } }
}
