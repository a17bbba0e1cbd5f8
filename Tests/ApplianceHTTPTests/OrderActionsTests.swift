import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Orders API: one order, status, resend")
struct OrderActionsTests {
    @Test func oneOrderIncludesItsTimeline() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("timeline@example.com")
            try await client.deliver(ShopifyOrder(id: 9), to: s)
            #expect(try await client.requireOrder(s, 9)["events"].array != nil)
            #expect(try await client.setStatus(s, 9, "confirmed").status == .ok)
            let order = try await client.requireOrder(s, 9)
            let events = try #require(order["events"].array)
            let last = try #require(events.last)
            #expect(last["type"].string == "status")
            #expect(last["status"].string == "confirmed")
            #expect(last["at"].string.flatMap(Timestamp.parse) != nil)
            // Unknown ids are 404.
            #expect(try await client.order(s, 404).status == .notFound)
            #expect(try await client.get("/api/v1/admin/orders/not-a-number", token: s.token).status == .notFound)
        }
    }

    /// CONTRACT "Orders": the manual transitions.
    static let allowed: Set<String> = [
        "pending>confirmed", "pending>cancelled", "confirmed>delivered", "confirmed>cancelled", "cancelled>pending", "delivered>confirmed",
    ]
    /// How to bring a pending order to each status by allowed steps.
    static let pathTo: [String: [String]] = [
        "pending": [], "confirmed": ["confirmed"], "cancelled": ["cancelled"], "delivered": ["confirmed", "delivered"],
    ]

    @Test(arguments: ["pending", "confirmed", "cancelled", "delivered"])
    func manualStatusTransitions(from: String) async throws {
        try await withRouterClient { app, client in
            let s = try await client.merchant("transitions@example.com")
            var id: UInt64 = 1
            for target in ["pending", "confirmed", "cancelled", "delivered"] {
                defer { id += 1 }
                try await client.deliver(ShopifyOrder(id: id), to: s)
                for step in Self.pathTo[from]! { try #require(try await client.setStatus(s, id, step).status == .ok) }
                let before = try await client.requireOrder(s, id)
                #expect(before["status"].string == from)
                app.clock.advance(seconds: 2)
                let r = try await client.setStatus(s, id, target)
                let after = try await client.requireOrder(s, id)
                if target == from {
                    #expect(r.status == .ok, "\(from) → \(target)")
                    #expect(r.json["status"].string == from)
                    #expect(after == before, "setting the same status changes nothing (updated_at, events)")
                } else if Self.allowed.contains("\(from)>\(target)") {
                    #expect(r.status == .ok, "\(from) → \(target): \(r.text)")
                    #expect(r.json["id"].string == "\(id)")
                    #expect(r.json["status"].string == target)
                    #expect(after["status"].string == target)
                    #expect(after["updated_at"] != before["updated_at"])
                    #expect((after["events"].array?.count ?? 0) == (before["events"].array?.count ?? 0) + 1)
                } else {
                    #expect(r.status == .conflict, "\(from) → \(target): \(r.text)")
                    #expect(r.errorCode == "conflict")
                    #expect(after == before)
                }
            }
        }
    }

    @Test func unknownStatusIs422AndUnknownOrder404() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("unknownstatus@example.com")
            try await client.deliver(ShopifyOrder(id: 1), to: s)
            let r = try await client.setStatus(s, 1, "shipped")
            #expect(r.status == .unprocessableContent)
            #expect(r.errorMessage.contains("status"))
            let noBody = try await client.send(.post, "/api/v1/admin/orders/1/status", token: s.token, json: "{}")
            #expect(noBody.status == .unprocessableContent)
            #expect(try await client.setStatus(s, 999, "confirmed").status == .notFound)
            #expect(try await client.requireOrder(s, 1)["status"].string == "pending")
        }
    }

    @Test func resendRules() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("resend@example.com")
            // A scheduled message cannot be resent.
            try await client.deliver(ShopifyOrder(id: 1), to: s)
            let scheduled = try await client.resend(s, 1)
            #expect(scheduled.status == .conflict)
            #expect(scheduled.errorMessage.contains("scheduled"))
            // A skipped one (a test order with a usable phone) is queued again.
            try await client.deliver(ShopifyOrder(id: 2, test: true), to: s)
            #expect(try await client.requireOrder(s, 2)["message"]["state"].string == "skipped")
            let resent = try await client.resend(s, 2)
            #expect(resent.status == .accepted)
            #expect(resent.json["id"].string == "2")
            #expect(resent.json["message"]["state"].string == "scheduled")
            #expect(resent.json["message"]["last_error"].isNull)
            #expect(resent.json["message"]["scheduled_at"].string != nil)
            #expect(resent.json["events"].array?.last?["type"].string == "resend")
            // Now it is scheduled: a second resend is refused.
            #expect(try await client.resend(s, 2).status == .conflict)
            // A cancelled order's message is skipped and can be resent too.
            try await client.deliver(ShopifyOrder(id: 3), to: s)
            #expect(try await client.setStatus(s, 3, "cancelled").status == .ok)
            #expect(try await client.requireOrder(s, 3)["message"]["state"].string == "skipped")
            #expect(try await client.resend(s, 3).status == .accepted)
            // Unknown order.
            #expect(try await client.resend(s, 99).status == .notFound)
        }
    }

    @Test func resendOfSkippedOrderWithoutPhoneIsAccepted() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("nophone@example.com")
            try await client.deliver(ShopifyOrder(id: 1, phone: nil), to: s)
            let order = try await client.requireOrder(s, 1)
            #expect(order["phone"].isNull)
            #expect(order["message"]["state"].string == "skipped")
            #expect(order["message"]["last_error"].string != nil)
            // CONTRACT: 202 for any skipped message; the send re-checks the phone and skips again
            // with the reason when it is still unusable.
            let resent = try await client.resend(s, 1)
            #expect(resent.status == .accepted)
            #expect(resent.json["message"]["state"].string == "scheduled")
        }
    }
}
