import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Sending {
        static let jeanne = "+33612345678"
        static let ghost = "+33698765432"
        static let silent = "+33611111111"

        /// One linked merchant, three due orders in one browser session: a normal number (sent,
        /// with the bubble's id), a number not on WhatsApp (failed, not retried), and one whose
        /// tick never shows (unknown).
        @Test func sentInvalidAndUnconfirmedInOneBatch() async throws {
            try await withWebApp(site: { site in
                site.invalidNumbers = ["33698765432"]
                site.tickBehaviour["33611111111"] = .some(nil)
            }) { app, fake, client in
                let m = try await client.merchant("send@example.com")
                let device = try await client.link(m, fake: fake)
                let launches = await app.web.poolStats().launches

                try await client.order(1, to: m, phone: "06 12 34 56 78", number: 1001)
                let sent = try await client.awaitMessage(1, of: m, "sent")
                #expect(sent["status"].string == "confirmed", "notify mode confirms on send")
                let messages = fake.sent(to: Self.jeanne)
                #expect(messages.count == 1)
                #expect(messages.first?.device == device)
                #expect(messages.first?.text.contains("#1001") == true)
                #expect(messages.first?.text.contains("Maison Test") == true)

                try await client.order(2, to: m, phone: "06 98 76 54 32", number: 1002)
                let failed = try await client.awaitMessage(2, of: m, "failed")
                #expect(failed["message"]["last_error"].string?.contains("not on WhatsApp") == true, "\(failed["message"])")
                #expect(failed["message"]["attempts"].int == 1)

                try await client.order(3, to: m, phone: "06 11 11 11 11", number: 1003)
                let unknown = try await client.awaitMessage(3, of: m, "unknown")
                #expect(unknown["message"]["last_error"].string?.contains("tick") == true, "\(unknown["message"])")
                #expect(fake.sent(to: Self.silent).count == 1, "Enter was pressed once")

                // The first two went out in one session; after the unconfirmed send the browser was closed.
                let stats = await app.web.poolStats()
                #expect(stats.launches - launches <= 2, "\(stats)")
                #expect(stats.reuses >= 1, "\(stats)")
                #expect(fake.sent(to: Self.ghost).isEmpty)
            }
        }

        /// `POST whatsapp/test`: 422 for a bad number, 409 until linked, then 202 and the message
        /// arrives at the merchant's own number.
        @Test func testMessageToMyOwnNumber() async throws {
            try await withWebApp { _, fake, client in
                let m = try await client.merchant("selftest@example.com")
                let bad = try await client.sendTest(m, phone: "12345")
                #expect(bad.status == .unprocessableContent)
                let early = try await client.sendTest(m, phone: "+49 151 23456789")
                #expect(early.status == .conflict, "\(early.status)")
                _ = try await client.link(m, fake: fake)
                let r = try await client.sendTest(m, phone: "+49 151 23456789")
                #expect(r.status == .accepted)
                #expect(r.json["phone"].string == "+4915123456789")
                try await eventually("the test message arrives") { !fake.sent(to: "4915123456789").isEmpty }
                #expect(fake.sent(to: "4915123456789").first?.text.contains("Test message") == true)
            }
        }
    }
}
