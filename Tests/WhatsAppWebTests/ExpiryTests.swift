import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Expiry {
        /// The phone logs the device out; the next due message finds the QR code instead of the
        /// chat: the tenant turns `expired` (dashboard told), the job stays `scheduled` with why,
        /// nothing is sent; a new link releases it and it goes out exactly once.
        @Test func expiredSessionHoldsJobsUntilRelinked() async throws {
            try await withWebApp { _, fake, client in
                let m = try await client.merchant("expired@example.com")
                let device = try await client.link(m, fake: fake)
                fake.logout(device: device)

                try await withDashboard(client, token: m.token) { frames in
                    try await client.order(7, to: m, phone: "06 12 34 56 78", number: 1007)
                    let expired = try await frames.next("expired") { $0.isStatus("expired") }
                    #expect(expired["whatsapp"]["detail"].string?.contains("logged out") == true)
                    try await eventually("the job is held") {
                        let o = try await client.order(7, of: m)
                        return o["message"]["state"].string == "scheduled" && o["message"]["last_error"].string != nil
                    }
                    let held = try await client.order(7, of: m)
                    #expect(held["message"]["last_error"].string?.contains("logged out") == true, "\(held["message"])")
                    #expect(held["message"]["attempts"].int == 0)
                    #expect(try await client.status(m)["state"].string == "expired")
                    #expect(fake.sent(to: "+33612345678").isEmpty)

                    // Link again (the same profile shows a new code).
                    #expect(try await client.connect(m).status == .accepted)
                    let qr = try await frames.next("a QR code") { $0.isStatus("qr") }
                    let again = try fake.scan(png: try #require(Data(base64Encoded: qr["whatsapp"]["qr_png"].string ?? "")))
                    #expect(again == device)
                    _ = try await frames.next("connected") { $0.isStatus("connected") }
                }
                let sent = try await client.awaitMessage(7, of: m, "sent")
                #expect(sent["message"]["last_error"].isNull || !sent["message"]["last_error"].exists)
                #expect(fake.sent(to: "+33612345678").count == 1, "sent once")
            }
        }

        /// Disconnect while the QR code shows: the browser ends at once, the profile is removed,
        /// the state is `disconnected`, and a due message is held.
        @Test func disconnectEndsTheBrowserAndRemovesTheProfile() async throws {
            try await withWebApp { app, _, client in
                let m = try await client.merchant("bye@example.com")
                try await withDashboard(client, token: m.token) { frames in
                    #expect(try await client.connect(m).status == .accepted)
                    _ = try await frames.next("a QR code") { $0.isStatus("qr") }
                }
                #expect(ChromeProcesses.browsers(under: app.chromeDir).count == 1)
                let r = try await client.disconnect(m)
                #expect(r.status == .ok)
                #expect(r.json["state"].string == "disconnected")
                #expect(ChromeProcesses.processes(mentioning: app.profile(m.id)).isEmpty)
                #expect(!FileManager.default.fileExists(atPath: app.profile(m.id)))

                try await client.order(9, to: m, phone: "06 12 34 56 78")
                try await eventually("the job is held") {
                    try await client.order(9, of: m)["message"]["last_error"].string?.contains("not linked") == true
                }
                #expect(try await client.order(9, of: m)["message"]["state"].string == "scheduled")
                #expect(ChromeProcesses.browsers(under: app.chromeDir).isEmpty)
            }
        }
    }
}
