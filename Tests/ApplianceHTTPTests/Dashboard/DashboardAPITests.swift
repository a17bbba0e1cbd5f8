import ApplianceDomain
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Dashboard API: catch-up and message preview")
struct DashboardAPITests {
    @Test func updatedSinceListsOnlyOrdersChangedSince() async throws {
        try await withRouterClient { app, client in
            let s = try await client.merchant("catchup@example.com")
            try await client.deliverInOrder(s, [1, 2, 3])
            app.clock.advance(seconds: 60)
            let since = Timestamp.format(app.clock.now())
            #expect(try await client.setStatus(s, 1, "confirmed").status == .ok)
            try await client.deliver(ShopifyOrder(id: 4, number: 1004), to: s)
            #expect(try await client.orderIDs(s, "updated_since=\(since)") == ["4", "1"])
            #expect(try await client.orderIDs(s, "updated_since=\(since)&status=confirmed") == ["1"])
            #expect(try await client.orders(s, "updated_since=yesterday").status == .unprocessableContent)
        }
    }

    @Test func timelineShowsWhenTheConfirmationIsDue() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("timeline@example.com")
            try await client.deliver(ShopifyOrder(id: 7, number: 1007), to: s)
            let order = try await client.requireOrder(s, 7)
            let events = try #require(order["events"].array)
            #expect(events.map { $0["type"].string } == ["received", "scheduled"])
            #expect(events[1]["due_at"].string == order["message"]["scheduled_at"].string)
        }
    }

    func preview(_ client: any TestClientProtocol, _ s: Session, _ json: String) async throws -> TestResponse {
        try await client.send(.post, "/api/v1/admin/messages/preview", token: s.token, json: json)
    }

    @Test func previewRendersTheNewestOrderOrASample() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("preview@example.com")
            let sample = try await preview(client, s, #"{"message_template": "Hi {customer_name}, {currency} {total_price} for {order_number}"}"#)
            #expect(sample.status == .ok)
            #expect(sample.json["order_id"].isNull)
            #expect(sample.json["text"].string?.hasPrefix("Hi ") == true)
            try await client.deliver(ShopifyOrder(id: 42, number: 1042, customer: "Zoë <b>Martin</b>", total: "12.50"), to: s)
            let real = try await preview(client, s, #"{"message_template": "Hi {customer_name}, {currency} {total_price} for {order_number}"}"#)
            #expect(real.json["order_id"].string == "42")
            #expect(real.json["text"].string == "Hi Zoë <b>Martin</b>, EUR 12.50 for #1042")
            // Without a template: the saved one, else the default of the mode asked for.
            let ask = try await preview(client, s, #"{"confirmation_mode": "ask"}"#)
            #expect(ask.json["text"].string?.contains("Reply 1 to confirm") == true)
            #expect(try await preview(client, s, #"{"confirmation_mode": "maybe"}"#).status == .unprocessableContent)
            let other = try await client.merchant("preview-other@example.com")
            #expect(try await preview(client, other, "{}").json["order_id"].isNull, "another tenant's order is never used")
            #expect(try await client.send(.post, "/api/v1/admin/messages/preview", json: "{}").status == .unauthorized)
        }
    }
}
