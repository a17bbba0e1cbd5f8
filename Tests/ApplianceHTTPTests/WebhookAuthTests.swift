import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Webhooks: signature, tenant, size")
struct WebhookAuthTests {
    @Test func badOrMissingSignatureIs401AndStoresNothing() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("hmac@example.com")
            let body = ShopifyOrder(id: 42).bytes
            let wrongKey = try await client.webhook(to: s.id, body, secret: "not-the-secret")
            #expect(wrongKey.status == .unauthorized)
            #expect(wrongKey.errorCode == "bad_signature")
            let garbage = try await client.webhook(to: s.id, body, signature: "not base64 at all!")
            #expect(garbage.status == .unauthorized)
            let missing = try await client.webhook(to: s.id, body, signature: .some(nil))
            #expect(missing.status == .unauthorized)
            #expect(missing.errorMessage.contains("X-Shopify-Hmac-Sha256"))
            let empty = try await client.webhook(to: s.id, body, signature: "")
            #expect(empty.status == .unauthorized)
            // Also on the per-topic routes.
            let topicRoute = try await client.webhook(to: s.id, body, topic: "orders/updated", route: .topicPath, secret: "nope")
            #expect(topicRoute.status == .unauthorized)

            #expect(try await client.orderIDs(s).isEmpty)
            #expect(try await client.rejected(s).isEmpty)
        }
    }

    @Test func noSecretSetIs401SayingSo() async throws {
        try await withEachClient { _, client in
            let s = try await client.signup("nosecret@example.com")
            let r = try await client.webhook(to: s.id, ShopifyOrder(id: 7).bytes)
            #expect(r.status == .unauthorized)
            #expect(r.errorMessage.lowercased().contains("no shopify webhook secret is set"), "\(r.errorMessage)")
            #expect(try await client.orderIDs(s).isEmpty)
        }
    }

    @Test func reserialisedBodyDoesNotVerify() async throws {
        try await withEachClient { _, client in
            let s = try await client.merchant("reserialised@example.com")
            let original = Array(##"{"id": 77, "name": "#1077", "total_price": "10.00", "currency": "EUR"}"##.utf8)
            let signature = ShopifySignature.sign(body: original, secret: TestSecrets.shopify)
            // The same JSON, with other whitespace and key order.
            let reordered = Array(##"{"currency":"EUR","total_price":"10.00","name":"#1077","id":77}"##.utf8)
            let r = try await client.webhook(to: s.id, reordered, signature: signature)
            #expect(r.status == .unauthorized)
            #expect(try await client.orderIDs(s).isEmpty)
            // The original bytes with that signature are fine.
            #expect(try await client.webhook(to: s.id, original, signature: signature).status == .ok)
            #expect(try await client.orderIDs(s) == ["77"])
        }
    }

    @Test func unknownTenantIs404() async throws {
        try await withEachClient { _, client in
            _ = try await client.merchant("known@example.com")
            for uri in ["/api/v1/webhooks/99", "/api/v1/webhooks/99/orders/create", "/api/v1/webhooks/0", "/api/v1/webhooks/abc"] {
                let body = ShopifyOrder(id: 1).bytes
                let r = try await client.send(.post, uri, body: body, headers: [
                    .shopifyHmac: ShopifySignature.sign(body: body, secret: TestSecrets.shopify), .shopifyTopic: "orders/create",
                ])
                #expect(r.status == .notFound, "\(uri)")
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await withEachClient { app, client in
            #expect(app.options.maxWebhookBytes == 5 << 20)
            let s = try await client.merchant("big@example.com")
            // A valid order padded to ~6 MiB with an attribute Shopify would accept.
            let padding = String(repeating: "x", count: 6 << 20)
            let body = Array(##"{"id": 9, "name": "#9", "note": "\##(padding)"}"##.utf8)
            let r = try await client.webhook(to: s.id, body)
            #expect(r.status == .contentTooLarge)
            #expect(r.errorCode == "payload_too_large")
            #expect(try await client.orderIDs(s).isEmpty)
            // Just under the limit is fine.
            let fits = Array(##"{"id": 10, "name": "#10", "note": "\##(String(repeating: "y", count: (5 << 20) - 100))"}"##.utf8)
            #expect(try await client.webhook(to: s.id, fits).status == .ok)
            #expect(try await client.orderIDs(s) == ["10"])
        }
    }

    @Test func webhookLimitIsClampedBetween2And10MiB() {
        #expect(ServerOptions(maxWebhookBytes: 1).maxWebhookBytes == 2 << 20)
        #expect(ServerOptions(maxWebhookBytes: 100 << 20).maxWebhookBytes == 10 << 20)
        #expect(ServerOptions(maxWebhookBytes: 3 << 20).maxWebhookBytes == 3 << 20)
    }
}
