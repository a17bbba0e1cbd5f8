import ApplianceDomain
import ApplianceHTTP
import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The WhatsApp fixtures in `Tests/Fixtures/whatsapp`.
enum WhatsAppFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/whatsapp")

    static func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    }

    /// One body of `message-statuses.collection.json` (keys sent, delivered, read, failed) as
    /// compact JSON, with its message id replaced by `wamid`.
    static func status(_ key: String, wamid: String) throws -> String {
        let data = try Data(contentsOf: directory.appendingPathComponent("message-statuses.collection.json"))
        let all = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let body = try #require(all[key])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]), as: UTF8.self)
        return text.replacingOccurrences(of: "wamid.xyzxyz", with: wamid)
    }
}

@Suite("Messaging: Meta callbacks", .timeLimit(.minutes(2)))
struct MetaCallbackTests {
    static let minute = MessagingTime.minute

    @Test func verifyHandshake() async throws {
        try await withMessagingApp(fake: nil) { app, client in
            let s = try await client.cloudMerchant("verify@example.com")
            let base = "/api/v1/whatsapp/\(s.id)/webhook"
            let ok = try await client.get("\(base)?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=\(CloudTestSettings.verifyToken)")
            #expect(ok.status == .ok)
            #expect(ok.headers[.contentType]?.hasPrefix("text/plain") == true, "\(ok.headers)")
            #expect(ok.text == "1158201444")
            let wrong = try await client.get("\(base)?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope")
            #expect(wrong.status == .forbidden)
            #expect(!wrong.text.contains("1158201444"))
            #expect(try await client.get("\(base)?hub.mode=subscribe&hub.challenge=1").status == .forbidden)
            #expect(try await client.get("\(base)?hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=\(CloudTestSettings.verifyToken)").status == .forbidden)
            // No verify token set: every handshake fails.
            let other = try await client.merchant("noverify@example.com")
            #expect(try await client.get("/api/v1/whatsapp/\(other.id)/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=").status == .forbidden)
            // Unknown tenant.
            #expect(try await client.get("/api/v1/whatsapp/999999/webhook?hub.mode=subscribe&hub.challenge=1&hub.verify_token=x").status == .notFound)
        }
    }

    @Test func signaturesAreChecked() async throws {
        try await withMessagingApp(fake: nil) { app, client in
            let s = try await client.cloudMerchant("signature@example.com")
            let body = try WhatsAppFixtures.text("inbound-text.json")
            // Good.
            #expect(try await client.metaNotification(s, body).status == .ok)
            // Wrong secret, missing, not prefixed, a signature of another body.
            let other = try await client.metaNotification(s, body, secret: "another-secret")
            #expect(other.status == .unauthorized)
            #expect(other.errorCode != nil)
            #expect(try await client.metaNotification(s, body, signature: .some(nil)).status == .unauthorized)
            let bare = String(MetaSignature.sign(body: Array(body.utf8), appSecret: CloudTestSettings.appSecret).dropFirst("sha256=".count))
            #expect(try await client.metaNotification(s, body, signature: .some(bare)).status == .unauthorized)
            let forOther = MetaSignature.sign(body: Array((body + " ").utf8), appSecret: CloudTestSettings.appSecret)
            #expect(try await client.metaNotification(s, body, signature: .some(forOther)).status == .unauthorized)
            // Upper-case hex is the same signature.
            let upper = "sha256=" + MetaSignature.sign(body: Array(body.utf8), appSecret: CloudTestSettings.appSecret).dropFirst(7).uppercased()
            #expect(try await client.metaNotification(s, body, signature: .some(upper)).status == .ok)
            // The Shopify secret does not sign Meta notifications.
            #expect(try await client.metaNotification(s, body, secret: TestSecrets.shopify).status == .unauthorized)
            // A tenant without an app secret accepts nothing.
            let bare2 = try await client.merchant("nosecret@example.com")
            #expect(try await client.metaNotification(bare2, body).status == .unauthorized)
            // Only the good ones were applied: the unmatched reply is in the inbox once.
            let inbox = try await client.get("/api/v1/admin/whatsapp/inbox", token: s.token)
            #expect(inbox.status == .ok)
            #expect(inbox.json["messages"].array?.count == 1, "\(inbox.text)")
        }
    }

    /// Sends orders `ids` (notify mode, cloud) and returns their wamids.
    static func sendOrders(_ app: TestApp, _ client: any TestClientProtocol, _ s: Session, _ ids: [UInt64]) async throws -> [UInt64: String] {
        let m = try app.msg
        for id in ids { try await client.deliver(messagingOrder(id, number: 1000 + Int(id), createdAt: m.now), to: s) }
        try await m.advance(by: 1000)
        var wamids: [UInt64: String] = [:]
        for id in ids {
            let order = try await app.registry.tenant(s.id).order(id)
            wamids[id] = try #require(order.message.messageID)
            try #require(order.message.state == .sent)
        }
        return wamids
    }

    @Test func statusesApplyMonotonicallyAndAnalyticsAreCumulative() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("statuses@example.com", delay: 0)
                let w = try await Self.sendOrders(app, client, s, [1, 2, 3, 4])
                var a = try await client.analytics(s)
                #expect(a["messages"] == .object(["sent": .number(4), "delivered": .number(0), "read": .number(0), "failed": .number(0)]))

                try await withDashboard(app, client, s) { frames in
                    // Order 1: sent → delivered → read (Meta's own fixtures), then a late `sent` and `delivered`.
                    try await client.meta(s, try WhatsAppFixtures.status("sent", wamid: w[1]!))
                    try await client.meta(s, try WhatsAppFixtures.status("delivered", wamid: w[1]!))
                    #expect(try await client.requireOrder(s, 1)["message"]["state"].string == "delivered")
                    let frame = try await frames.next("order.updated delivered") { $0.frameType == "order.updated" }
                    #expect(frame["order"]["id"].string == "1")
                    #expect(frame["order"]["message"]["state"].string == "delivered")
                    try await client.meta(s, try WhatsAppFixtures.status("read", wamid: w[1]!))
                    #expect(try await client.requireOrder(s, 1)["message"]["state"].string == "read")
                    let before = try await client.requireOrder(s, 1)
                    try await client.meta(s, MetaBody.status(w[1]!, "sent"))
                    try await client.meta(s, MetaBody.status(w[1]!, "delivered"))
                    try await client.meta(s, MetaBody.status(w[1]!, "failed", errorCode: 131026))
                    let after = try await client.requireOrder(s, 1)
                    #expect(after["message"]["state"].string == "read")
                    #expect(after["updated_at"] == before["updated_at"])
                    #expect(after["events"] == before["events"])
                    #expect(after["status"].string == "confirmed")

                    // Order 2: delivered, then `failed` changes nothing.
                    try await client.meta(s, MetaBody.status(w[2]!, "delivered"))
                    try await client.meta(s, MetaBody.status(w[2]!, "failed", errorCode: 131026))
                    #expect(try await client.requireOrder(s, 2)["message"]["state"].string == "delivered")
                    // Delivered twice: one event.
                    try await client.meta(s, MetaBody.status(w[2]!, "delivered"))
                    let events2 = try await client.requireOrder(s, 2)["events"].array ?? []
                    #expect(events2.filter { $0["type"].string == "delivered" }.count == 1)

                    // Order 3: read without delivered (Meta skips it when both happen at once).
                    try await client.meta(s, MetaBody.status(w[3]!, "read"))
                    #expect(try await client.requireOrder(s, 3)["message"]["state"].string == "read")

                    // Order 4: failed after sent, with Meta's reason.
                    try await client.meta(s, MetaBody.status(w[4]!, "failed", errorCode: 131026))
                    let failed = try await client.requireOrder(s, 4)
                    #expect(failed["message"]["state"].string == "failed")
                    #expect(failed["message"]["last_error"].string?.contains("131026") == true, "\(failed)")
                    // A late `delivered` after a reported failure: the message did arrive.
                    // (Only a `sent` is ignored; see the contract's monotonic rule.)

                    // An unknown wamid changes nothing.
                    try await client.meta(s, MetaBody.status("wamid.UNKNOWN", "read"))
                }
                a = try await client.analytics(s)
                // 1 read, 2 delivered, 3 read, 4 failed: sent 3, delivered 3, read 2, failed 1.
                #expect(a["messages"] == .object(["sent": .number(3), "delivered": .number(3), "read": .number(2), "failed": .number(1)]), "\(a)")
                #expect(a["total_orders"].int == 4)
                #expect(a["confirmed"].int == 4)
                #expect(a["confirmation_rate"].double == 1)
            }
        }
    }

    @Test func aNotificationWithManyEntriesIsAppliedAsAWhole() async throws {
        try await withFakeGraphAPI { fake in
            try await withMessagingApp(fake: fake) { app, client in
                let s = try await client.cloudMerchant("batch@example.com", delay: 0)
                let w = try await Self.sendOrders(app, client, s, [5, 6])
                let body = MetaBody.envelope(#""statuses":[{"id":"\#(w[5]!)","status":"delivered","timestamp":"1","recipient_id":"33612345678"},{"id":"\#(w[6]!)","status":"read","timestamp":"1","recipient_id":"33612345678"}]"#)
                try await client.meta(s, body)
                #expect(try await client.requireOrder(s, 5)["message"]["state"].string == "delivered")
                #expect(try await client.requireOrder(s, 6)["message"]["state"].string == "read")
                // Not JSON, or another object: accepted (Meta must not retry) and ignored.
                #expect(try await client.metaNotification(s, "not json").status == .ok)
                #expect(try await client.metaNotification(s, #"{"object":"page","entry":[]}"#).status == .ok)
            }
        }
    }
}
