import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Replies {
        /// Ask mode over WhatsApp Web: the message offers numbered choices; at the health check the
        /// unread chats of customers with open orders are read and decide their orders ("1"
        /// confirms, "2 …" cancels); a stranger's chat is left unread.
        @Test func numberedRepliesFromUnreadChatsDecideOrders() async throws {
            try await withWebApp { app, fake, client in
                let m = try await client.merchant("ask@example.com", settings: #""confirmation_mode": "ask""#)
                let device = try await client.link(m, fake: fake)
                try await client.order(21, to: m, phone: "06 12 34 56 78", number: 1021)
                try await client.order(22, to: m, phone: "06 22 22 22 22", number: 1022)
                try await client.awaitMessage(21, of: m, "sent")
                try await client.awaitMessage(22, of: m, "sent")
                #expect(fake.sent(to: "+33612345678").first?.text.contains("Reply 1 to confirm or 2 to cancel") == true)

                fake.receive(device: device, from: "+33612345678", text: "1")
                fake.receive(device: device, from: "+33622222222", text: "2 - wrong size")
                fake.receive(device: device, from: "+33699999999", text: "hello, who is this?")
                // A chat that could not be read (the page changed under a step) waits for the next
                // check, as every poll interval brings one: allow up to three rounds here.
                for _ in 0..<3 {
                    await app.web.checkAll()
                    if try await client.order(22, of: m)["status"].string != "pending",
                       try await client.order(21, of: m)["status"].string != "pending" { break }
                }

                let confirmed = try await client.order(21, of: m)
                #expect(confirmed["status"].string == "confirmed", "\(confirmed)")
                let cancelled = try await client.order(22, of: m)
                #expect(cancelled["status"].string == "cancelled", "\(cancelled)")
                #expect(cancelled["events"].array?.contains { $0["type"].string == "reply" && $0["text"].string == "2 - wrong size" } == true)
                #expect(fake.unread(device: device, phone: "+33622222222") == 0)
                #expect(fake.unread(device: device, phone: "+33699999999") == 1, "a stranger's chat stays unread")

                // Read once: a second round changes nothing.
                let events = confirmed["events"].array?.count
                await app.web.checkAll()
                #expect(try await client.order(21, of: m)["events"].array?.count == events)
            }
        }

        /// WhatsApp Web marks a message that arrives in the chat that is open as read at once (no
        /// unread badge; the fake does the same). A customer who answers one second after the sent
        /// tick, while the browser is kept for the next message, still decides the order at the
        /// next poll: one health-check round (`checkAll`, what the poll loop runs; the tests' poll
        /// interval is 600 s, so no other round interferes).
        @Test func replyRightAfterTheSendIsReadAtTheNextPoll() async throws {
            try await withWebApp { app, fake, client in
                let m = try await client.merchant("quick@example.com", settings: #""confirmation_mode": "ask""#)
                let device = try await client.link(m, fake: fake)
                try await client.order(41, to: m, phone: "06 12 34 56 78", number: 1041)
                try await client.awaitMessage(41, of: m, "sent")
                #expect(try await client.order(41, of: m)["status"].string == "pending")

                // The scenario's timing (the customer answers a second later), not a synchronisation.
                try await Task.sleep(for: .seconds(1))
                fake.receive(device: device, from: "+33612345678", text: "1")
                await app.web.checkAll()

                let order = try await client.order(41, of: m)
                #expect(order["status"].string == "confirmed", "one poll reads the reply: \(order)")
                #expect(fake.unread(device: device, phone: "+33612345678") == 0)
            }
        }
    }
}
