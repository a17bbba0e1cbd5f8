import Foundation
import ShopifyAdminFake
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Shopify write-back against the real binary and a local fake of the Admin GraphQL API
/// (CONTRACT "Shopify write-back").
@Suite(.serialized, .timeLimit(.minutes(10)))
struct ShopifyWriteBackTests {
    static func gid(_ id: UInt64) -> String { "gid://shopify/Order/\(id)" }

    @Test func aConfirmationByReplyAddsTheConfirmTagOnce() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake)
            defer { shop.server.stop() }
            let id: UInt64 = 7_100_000_000_000_000_001
            try shop.deliver(id: id, number: 1001)
            try await shop.waitForMessageSent(id)
            #expect(WriteBackShop.sync(try shop.order(id)).state == "done", "nothing to write back before a decision")
            try shop.customerReply(text: "1")
            let order = try await shop.waitForSyncDone(id)
            #expect(order["status"] as? String == "confirmed")
            let adds = shop.requests("tagsAdd")
            #expect(adds.count == 1)
            #expect(adds.first?.gid == Self.gid(id))
            #expect(adds.first?.tags == ["whatsapp-confirmed"])
            #expect(adds.first?.token == "shpat_fake_admin_token")
            #expect(shop.requests("tagsRemove").isEmpty && shop.requests("orderCancel").isEmpty)
            #expect(fake.order(id).tags == ["whatsapp-confirmed"])
            let events = WriteBackShop.syncEvents(order)
            #expect(events.count == 1)
            #expect(events.first?["action"] as? String == "tag" && events.first?["result"] as? String == "done")
            // The same reply delivered again (Meta retries) decides nothing and writes nothing more.
            try shop.customerReply(text: "1")
            #expect(shop.requests("tagsAdd").count == 1)
        }
    }

    @Test func aCancellationByButtonTagsAndCancelsWithRestockAsSet() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake, shopify: ["cancel_orders": true, "restock": false])
            defer { shop.server.stop() }
            let id: UInt64 = 7_100_000_000_000_000_101
            try shop.deliver(id: id, number: 1101)
            try await shop.waitForMessageSent(id)
            try shop.customerReply(buttonPayload: "swc:\(shop.userID):\(id):2")
            let order = try await shop.waitForSyncDone(id)
            #expect(order["status"] as? String == "cancelled")
            #expect(shop.requests("tagsAdd").map(\.tags) == [["whatsapp-cancelled"]])
            let cancels = shop.requests("orderCancel")
            #expect(cancels.count == 1)
            let cancel = try #require(cancels.first)
            #expect(cancel.gid == Self.gid(id))
            #expect(cancel.restock == false && cancel.refund == false && cancel.notifyCustomer == false && cancel.reason == "CUSTOMER")
            #expect(cancel.staffNote?.contains("WhatsApp") == true)
            #expect(fake.order(id).cancelled && fake.order(id).restocked == false)
            #expect(WriteBackShop.syncEvents(order).compactMap { $0["action"] as? String } == ["tag", "cancel"])
        }
    }

    @Test func manualFlipsTagAndUntag() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake)
            defer { shop.server.stop() }
            let id: UInt64 = 7_100_000_000_000_000_201
            try shop.deliver(id: id, number: 1201)
            try shop.setStatus(id, "confirmed")
            _ = try await shop.waitForSyncDone(id)
            #expect(fake.order(id).tags == ["whatsapp-confirmed"])
            try shop.setStatus(id, "cancelled")
            _ = try await shop.waitForSyncDone(id)
            #expect(fake.order(id).tags == ["whatsapp-cancelled"])
            try shop.setStatus(id, "pending")  // reopen: writes nothing
            #expect(WriteBackShop.sync(try shop.order(id)).state == "done")
            try shop.setStatus(id, "confirmed")
            let order = try await shop.waitForSyncDone(id)
            #expect(fake.order(id).tags == ["whatsapp-confirmed"])
            let sequence = fake.requests.map { "\($0.operation) \($0.tags.joined())" }
            #expect(sequence == ["tagsAdd whatsapp-confirmed",
                                 "tagsAdd whatsapp-cancelled", "tagsRemove whatsapp-confirmed",
                                 "tagsAdd whatsapp-confirmed", "tagsRemove whatsapp-cancelled"])
            #expect(shop.requests("orderCancel").isEmpty, "cancel_orders is off by default")
            #expect(WriteBackShop.syncEvents(order).compactMap { $0["action"] as? String } == ["tag", "tag", "untag", "tag", "untag"])
        }
    }

    @Test func aStatusFromShopifyWritesNothing() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake, shopify: ["cancel_orders": true])
            defer { shop.server.stop() }
            let cancelled: UInt64 = 7_100_000_000_000_000_301, updated: UInt64 = 7_100_000_000_000_000_302
            let fulfilled: UInt64 = 7_100_000_000_000_000_303, barrier: UInt64 = 7_100_000_000_000_000_304
            for (i, id) in [cancelled, updated, fulfilled, barrier].enumerated() { try shop.deliver(id: id, number: 1301 + i) }
            try shop.deliver(id: cancelled, number: 1301, topic: "orders/cancelled") { $0["updated_at"] = "2100-01-01T00:00:00Z" }
            try shop.deliver(id: updated, number: 1302, topic: "orders/updated") {
                $0["updated_at"] = "2100-01-01T00:00:00Z"
                $0["cancelled_at"] = "2100-01-01T00:00:00Z"
            }
            try shop.deliver(id: fulfilled, number: 1303, topic: "orders/fulfilled") { $0["updated_at"] = "2100-01-01T00:00:00Z" }
            for id in [cancelled, updated, fulfilled] {
                let order = try shop.order(id)
                #expect(order["status"] as? String == (id == fulfilled ? "delivered" : "cancelled"))
                // The decision is in the same record as any write-back it starts: none here.
                #expect(WriteBackShop.sync(order).state == "done")
            }
            // A barrier through the same queue: once it is written back, nothing else was sent.
            try shop.setStatus(barrier, "confirmed")
            _ = try await shop.waitForSyncDone(barrier)
            #expect(fake.requests.map(\.orderID) == [barrier])
        }
    }

    @Test func throttledThenSuccessWithoutSendingIntoAnEmptyBucket() async throws {
        var configuration = ShopifyAdminFake.Configuration()
        configuration.maximumAvailable = 20
        configuration.restoreRate = 10  // one mutation (cost 10) per second
        configuration.initiallyAvailable = 0
        try await withWriteBackFake(configuration) { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake)
            defer { shop.server.stop() }
            let first: UInt64 = 7_100_000_000_000_000_401
            try shop.deliver(id: first, number: 1401)
            fake.drainBucketAtNextRequest(to: 0)
            try shop.setStatus(first, "confirmed")
            _ = try await shop.waitForSyncDone(first)
            var requests = fake.requests
            #expect(requests.map(\.answer) == ["throttled", "ok"])
            // (requestedQueryCost 10 − currentlyAvailable 0) / restoreRate 10: 1 s after THROTTLED.
            if requests.count == 2 {
                let wait = Int64(((10 - requests[0].bucketLevel) / 10 * 1000).rounded(.down))
                #expect(wait > 800)
                #expect(requests[1].at - requests[0].at >= wait, "sent \(requests[1].at - requests[0].at) ms after THROTTLED, must wait \(wait) ms")
            }

            // Now the appliance knows the bucket: five more are paced, none sent into an empty bucket.
            let more = (402...406).map { 7_100_000_000_000_000_000 + UInt64($0) }
            for (i, id) in more.enumerated() {
                try shop.deliver(id: id, number: 1402 + i)
                try shop.setStatus(id, "confirmed")
            }
            for id in more { _ = try await shop.waitForSyncDone(id) }
            requests = fake.requests
            print("write-back requests (ms after the first, bucket level, answer):",
                  requests.map { "\($0.at - requests[0].at) \(Int($0.bucketLevel)) \($0.answer)" })
            #expect(requests.filter { $0.answer == "throttled" }.count == 1, "\(requests.map(\.answer))")
            #expect(requests.dropFirst().allSatisfy { $0.bucketLevel >= 10 }, "\(requests.map(\.bucketLevel))")
            #expect(requests.count == 7)
        }
    }

    @Test func aRefusedTokenHoldsWithOneBannerUntilTheSettingsChange() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake, adminToken: "shpat_revoked")
            defer { shop.server.stop() }
            let ids = (501...506).map { 7_100_000_000_000_000_000 + UInt64($0) }
            for (i, id) in ids.enumerated() {
                try shop.deliver(id: id, number: 1501 + i)
                try shop.setStatus(id, "confirmed")
            }
            for id in ids {
                let order = try await shop.waitForOrder(id, "held") { WriteBackShop.sync($0).state == "held" }
                #expect(WriteBackShop.sync(order).lastError?.contains("401") == true)
            }
            let hold = try #require((try shop.settings()["shopify"] as? [String: Any])?["hold_reason"] as? String)
            #expect(hold.contains("401"))
            let refused = fake.requests.count
            #expect(refused >= 1 && refused <= 4, "held after the first refusal (at most the 4 in flight): \(refused)")
            #expect(fake.requests.allSatisfy { $0.answer == "unauthorized" })

            let r = try shop.putSettings(["shopify": ["admin_access_token": "shpat_fake_admin_token"]])
            #expect(r.status == 200)
            #expect(((r.object?["shopify"] as? [String: Any])?["hold_reason"]) is NSNull)
            for id in ids { _ = try await shop.waitForSyncDone(id) }
            #expect(fake.requests.filter { $0.answer == "ok" }.count == ids.count)
        }
    }

    @Test func killNineWithWriteBacksPendingLosesNoneAndCancelsOnce() async throws {
        var configuration = ShopifyAdminFake.Configuration()
        configuration.latencyMillis = 150
        configuration.maximumAvailable = 100_000
        configuration.restoreRate = 100_000
        try await withWriteBackFake(configuration) { harness, fake in
            var shop = try WriteBackShop.start(harness, fake: fake, shopify: ["cancel_orders": true])
            let ids = (601...630).map { 7_100_000_000_000_000_000 + UInt64($0) }
            for (i, id) in ids.enumerated() { try shop.deliver(id: id, number: 1601 + i) }
            for id in ids { try shop.setStatus(id, "cancelled") }
            // Kill it while the write-backs are under way.
            let deadline = ContinuousClock.now + .seconds(60)
            while shop.requests("orderCancel").count < 5 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            shop.server.kill(SIGKILL)
            #expect(shop.server.waitForExit(timeout: .seconds(30)))
            let beforeRestart = fake.requests.count
            #expect(beforeRestart < 2 * ids.count, "the kill came before everything was written back")

            shop.server = try harness.startServer(environment: ["SHOPIFY_ADMIN_URL": fake.baseURL])
            defer { shop.server.stop() }
            for id in ids {
                let order = try await shop.waitForSyncDone(id)
                #expect(order["status"] as? String == "cancelled")
                #expect(fake.order(id).cancelled && fake.order(id).tags == ["whatsapp-cancelled"], "order \(id)")
                #expect(shop.requests("orderCancel", order: id).filter { $0.answer == "ok" }.count == 1)
            }
            // Only an orderCancel in flight at the kill (its outcome unknown) may be sent again,
            // and it is answered "already cancelled".
            let repeated = shop.requests("orderCancel").filter { $0.answer == "already_cancelled" }
            #expect(repeated.count <= 4, "\(repeated.count) cancels were sent again")
            let check = try harness.cli(["check", "--data-dir", harness.dataDir])
            #expect(check.status == 0, "\(check)")
        }
    }

    @Test func aThousandConfirmationsAtOnceKeepAtMostFourInFlight() async throws {
        var configuration = ShopifyAdminFake.Configuration()
        configuration.latencyMillis = 5
        configuration.maximumAvailable = 1_000_000
        configuration.restoreRate = 1_000_000
        try await withWriteBackFake(configuration) { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake)
            defer { shop.server.stop() }
            let ids = (0..<1000).map { 7_200_000_000_000_000_000 + UInt64($0) }
            let c = try HTTPConnection(port: shop.port)
            for (i, id) in ids.enumerated() {
                let r = try ShopifyClient.postOrder(c, userID: shop.userID, secret: SystemTests.secret, id: id, number: 20_000 + i)
                #expect(r.status == 200)
            }
            for id in ids {
                let r = try c.json("POST", "/api/v1/admin/orders/\(id)/status", ["status": "confirmed"], token: shop.token)
                #expect(r.status == 200)
            }
            let deadline = ContinuousClock.now + .seconds(300)
            while fake.requests.filter({ $0.answer == "ok" }).count < ids.count && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            for id in ids.shuffled().prefix(50) { _ = try await shop.waitForSyncDone(id) }
            let all = try ShopifyClient.listOrderIDs(port: shop.port, token: shop.token)
            #expect(all.count == ids.count)
            #expect(Set(fake.requests.compactMap(\.orderID)) == Set(ids))
            #expect(fake.requests.count == ids.count, "each order tagged once")
            #expect(fake.maxInFlight <= 4, "at most 4 requests in flight: \(fake.maxInFlight)")
            #expect(fake.maxInFlight > 1, "the queue works concurrently: \(fake.maxInFlight)")
            let metrics = try HTTPConnection(port: shop.port).send("GET", "/metrics").text
            #expect(metrics.contains("shopify_writebacks_total{tenant=\"\(shop.userID)\",outcome=\"done\"} 1000"), "\(metrics.split(separator: "\n").filter { $0.contains("shopify") })")
            #expect(metrics.contains("shopify_writeback_queue{tenant=\"\(shop.userID)\"} 0"))
        }
    }

    @Test func echoesOfOurOwnWriteBacksChangeNothing() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake, shopify: ["cancel_orders": true])
            defer { shop.server.stop() }
            fake.configure { $0.echo = ("http://127.0.0.1:\(shop.port)/api/v1/webhooks/\(shop.userID)", SystemTests.secret) }
            let confirmed: UInt64 = 7_100_000_000_000_000_701, cancelled: UInt64 = 7_100_000_000_000_000_702
            for (i, id) in [confirmed, cancelled].enumerated() {
                fake.register(orderID: id, payload: ShopifyClient.orderBody(id: id, number: 1701 + i))
                try shop.deliver(id: id, number: 1701 + i)
                try await shop.waitForMessageSent(id)
            }
            try shop.customerReply(buttonPayload: "swc:\(shop.userID):\(confirmed):1")
            try shop.customerReply(buttonPayload: "swc:\(shop.userID):\(cancelled):2")
            _ = try await shop.waitForSyncDone(confirmed)
            _ = try await shop.waitForSyncDone(cancelled)
            // Shopify echoed each change (orders/updated with our tag; orders/cancelled): each echo
            // is stored (the fake waits for the 200) and starts nothing.
            #expect(fake.echoesSent == 3)
            let requestsAfterEchoes = fake.requests.count
            #expect(requestsAfterEchoes == 3)
            for (id, status) in [(confirmed, "confirmed"), (cancelled, "cancelled")] {
                let order = try shop.order(id)
                #expect(order["status"] as? String == status)
                #expect(WriteBackShop.sync(order).state == "done")
                let statusEvents = (order["events"] as? [[String: Any]] ?? []).filter { $0["type"] as? String == "status" }
                #expect(statusEvents.count == 1 && statusEvents.first?["by"] as? String == "customer", "\(statusEvents)")
                #expect((order["message"] as? [String: Any])?["attempts"] as? Int == 1, "no second message")
            }
            // A late echo of our own cancellation after the merchant reopened the order does not flip it back.
            try shop.setStatus(cancelled, "pending")
            try shop.deliver(id: cancelled, number: 1702, topic: "orders/cancelled") {
                $0["updated_at"] = "2100-01-01T00:00:00Z"
                $0["cancelled_at"] = "2100-01-01T00:00:00Z"
            }
            #expect(try shop.order(cancelled)["status"] as? String == "pending")
            // A barrier: a new decision is written back, and nothing else was.
            try shop.setStatus(cancelled, "confirmed")
            _ = try await shop.waitForSyncDone(cancelled)
            #expect(fake.requests.count == requestsAfterEchoes + 2, "tagsAdd confirm + tagsRemove cancel, nothing more")
            #expect(shop.requests("orderCancel").count == 1)
        }
    }

    @Test func testConnectionSaysWhatShopifyAnswered() async throws {
        try await withWriteBackFake { harness, fake in
            let shop = try WriteBackShop.start(harness, fake: fake)
            defer { shop.server.stop() }
            let c = try HTTPConnection(port: shop.port)
            let ok = try c.json("POST", "/api/v1/admin/shopify/test", token: shop.token)
            #expect(ok.status == 200)
            #expect((ok.object?["shop"] as? [String: Any])?["name"] as? String == "Demo Shop")
            #expect(try shop.putSettings(["shopify": ["admin_access_token": "shpat_wrong"]]).status == 200)
            let refused = try c.json("POST", "/api/v1/admin/shopify/test", token: shop.token)
            #expect(refused.status == 502)
            let error = refused.object?["error"] as? [String: Any]
            #expect(error?["code"] as? String == "shopify_error")
            #expect((error?["message"] as? String)?.contains("Invalid API key or access token") == true, "\(refused.text)")
            #expect(try shop.putSettings(["shopify": ["admin_access_token": NSNull()]]).status == 200)
            let unset = try c.json("POST", "/api/v1/admin/shopify/test", token: shop.token)
            #expect(unset.status == 422)
            #expect((unset.object?["error"] as? [String: Any])?["code"] as? String == "shopify_not_configured")
            // Validation names the field; nothing of the PUT is applied.
            let bad = try shop.putSettings(["shopify": ["cancel_tag": "a,b", "confirm_tag": "ok"]])
            #expect(bad.status == 422)
            #expect(((bad.object?["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("shopify.cancel_tag") == true)
            let settings = try #require(try shop.settings()["shopify"] as? [String: Any])
            #expect(settings["confirm_tag"] as? String == "whatsapp-confirmed")
            #expect(settings["admin_access_token_set"] as? Bool == false)
            #expect(settings["admin_access_token"] == nil)
            #expect(settings["cancel_orders"] as? Bool == false && settings["restock"] as? Bool == true)
        }
    }
}
