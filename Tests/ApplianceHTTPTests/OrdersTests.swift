import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Orders API: listing")
struct OrdersTests {
    @Test func orderShapeMatchesTheContract() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("shape@example.com")
            try await client.deliver(ShopifyOrder(id: 1, number: 1001), to: s)
            let list = try await client.orders(s)
            #expect(list.json.keys == ["orders", "next_cursor"])
            #expect(list.json["next_cursor"].isNull)
            let order = list.json["orders"][0]
            for key in ["id", "order_number", "customer_name", "phone", "email", "total_price", "currency", "status", "slot",
                        "created_at", "updated_at", "message"] {
                #expect(order[key].exists, "missing \(key)")
            }
            #expect(order["message"].keys.isSuperset(of: ["state", "scheduled_at", "attempts", "last_error", "provider"]))
            #expect(order["message"]["attempts"].int == 0)
            #expect(order["message"]["provider"].string == "web")
            #expect(!order["events"].exists, "the listing carries no timeline")
            #expect(order["updated_at"].string.flatMap(Timestamp.parse) != nil)
        }
    }

    @Test func newestFirstByFirstArrival() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("newest@example.com")
            try await client.deliverInOrder(s, [30, 10, 20])
            #expect(try await client.orderIDs(s) == ["20", "10", "30"])
            // A later update of the oldest does not move it.
            try await client.deliver(ShopifyOrder(id: 30, number: 1030, updatedAt: "2025-03-05T00:00:00Z"), to: s, topic: "orders/updated")
            #expect(try await client.orderIDs(s) == ["20", "10", "30"])
        }
    }

    @Test func limitDefaultsTo50AndIsClampedTo200() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("limit@example.com")
            try await client.seedOrders(s, count: 205)
            let page = try await client.orders(s)
            #expect(page.json["orders"].array?.count == 50)
            #expect(page.json["next_cursor"].string != nil)
            let big = try await client.orders(s, "limit=1000")
            #expect(big.status == .ok)
            #expect(big.json["orders"].array?.count == 200)
            #expect(big.json["next_cursor"].string != nil)
            #expect(try await client.orders(s, "limit=7").json["orders"].array?.count == 7)
        }
    }

    @Test(arguments: ["limit=0", "limit=-3", "limit=abc", "limit=1.5", "limit="])
    func badLimitIs422(query: String) async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("badlimit@example.com")
            let r = try await client.orders(s, query)
            #expect(r.status == .unprocessableContent)
            #expect(r.errorMessage.contains("limit"))
        }
    }

    @Test(arguments: [6, 7])
    func cursorWalksEveryOrderOnceWithNoEmptyLastPage(total: Int) async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("cursor@example.com")
            try await client.deliverInOrder(s, (1...UInt64(total)).map { $0 })
            var seen: [String] = []
            var cursor: String?
            var pages = 0
            repeat {
                let query = "limit=3" + (cursor.map { "&cursor=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0) } ?? "")
                let r = try await client.orders(s, query)
                try #require(r.status == .ok, "\(r.text)")
                let ids = (r.json["orders"].array ?? []).compactMap { $0["id"].string }
                #expect(!ids.isEmpty, "an empty page")
                seen += ids
                cursor = r.json["next_cursor"].string
                #expect(cursor != nil || r.json["next_cursor"].isNull)
                pages += 1
                try #require(pages <= 10)
            } while cursor != nil
            #expect(seen == (1...total).reversed().map(String.init))
            #expect(pages == (total + 2) / 3)
        }
    }

    @Test func cursorWithFilterAndNewArrivals() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("cursorfilter@example.com")
            try await client.deliverInOrder(s, Array(1...6))
            for id in [2, 3, 5] as [UInt64] { #expect(try await client.setStatus(s, id, "confirmed").status == .ok) }
            let first = try await client.orders(s, "status=confirmed&limit=2")
            #expect((first.json["orders"].array ?? []).map { $0["id"].string } == ["5", "3"])
            let cursor = try #require(first.json["next_cursor"].string)
            // An order arriving meanwhile does not shift the next page.
            try await client.deliver(ShopifyOrder(id: 7), to: s)
            #expect(try await client.setStatus(s, 7, "confirmed").status == .ok)
            let second = try await client.orders(s, "status=confirmed&limit=2&cursor=\(cursor)")
            #expect((second.json["orders"].array ?? []).map { $0["id"].string } == ["2"])
            #expect(second.json["next_cursor"].isNull)
        }
    }

    @Test func forgedCursorIs422() async throws {
        try await withRouterClient { _, client in
            let a = try await client.merchant("forge-a@example.com")
            let b = try await client.merchant("forge-b@example.com")
            try await client.deliverInOrder(a, Array(1...4))
            try await client.deliverInOrder(b, Array(11...14))
            let real = try #require(try await client.orders(a, "limit=2").json["next_cursor"].string)
            let position = real.split(separator: ".").first.map(String.init) ?? "2"
            let forged = ["garbage", "2", "2.0000000000000000", "\(position).ffffffffffffffff", "-1.\(real.split(separator: ".").last ?? "")", "3" + real.dropFirst()]
            for cursor in forged where cursor != real {
                let r = try await client.orders(a, "cursor=\(cursor)")
                #expect(r.status == .unprocessableContent, "\(cursor)")
                #expect(r.errorMessage.contains("cursor"))
            }
            // A cursor of tenant A is not one the server gave tenant B.
            #expect(try await client.orders(b, "cursor=\(real)").status == .unprocessableContent)
            #expect(try await client.orders(a, "cursor=\(real)").status == .ok)
        }
    }

    @Test func statusFilter() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("status@example.com")
            try await client.deliverInOrder(s, [1, 2, 3, 4])
            #expect(try await client.setStatus(s, 2, "cancelled").status == .ok)
            #expect(try await client.setStatus(s, 3, "confirmed").status == .ok)
            #expect(try await client.orderIDs(s, "status=pending") == ["4", "1"])
            #expect(try await client.orderIDs(s, "status=cancelled") == ["2"])
            #expect(try await client.orderIDs(s, "status=confirmed") == ["3"])
            #expect(try await client.orderIDs(s, "status=delivered") == [])
            #expect(try await client.orders(s, "status=shipped").status == .unprocessableContent)
        }
    }

    @Test func searchByNumberNameAndPhone() async throws {
        try await withRouterClient { _, client in
            let s = try await client.merchant("search@example.com")
            try await client.deliver(ShopifyOrder(id: 1, number: 1001, customer: "Jeanne Dupont", phone: "06 12 34 56 78", country: "FR"), to: s)
            try await client.deliver(ShopifyOrder(id: 2, number: 1002, customer: "Ahmed Benali", phone: "07 98 76 54 32", country: "FR"), to: s)
            try await client.deliver(ShopifyOrder(id: 3, number: 2003, customer: "Maria Lopez", phone: "612 34 56 99", country: "ES"), to: s)
            func q(_ text: String) async throws -> [String] {
                try await client.orderIDs(s, "q=" + text.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            }
            #expect(try await q("#1002") == ["2"])
            #expect(try await q("2003") == ["3"])
            #expect(try await q("100") == ["2", "1"])
            #expect(try await q("jeanne") == ["1"])
            #expect(try await q("BENALI") == ["2"])
            #expect(try await q("+33798765432") == ["2"])
            #expect(try await q("0798765432") == ["2"], "national format finds the E.164 number")
            #expect(try await q("612345699") == ["3"])
            #expect(try await q("nobody") == [])
            // Search combines with the status filter.
            #expect(try await client.setStatus(s, 1, "cancelled").status == .ok)
            #expect(try await client.orderIDs(s, "q=100&status=pending") == ["2"])
        }
    }
}
