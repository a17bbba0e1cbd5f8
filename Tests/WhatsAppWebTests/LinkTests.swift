import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Linking {
        /// Connect → linking → QR codes (each new one pushed over the WebSocket, a real PNG that
        /// scans, with its expiry) → scanned → connected; the browser is closed, the profile kept;
        /// connect again starts nothing.
        @Test func linkFlowOverTheWebSocket() async throws {
            try await withWebApp { app, fake, client in
                let m = try await client.merchant("link@example.com")
                let before = try await client.status(m)
                #expect(before["provider"].string == "web")
                #expect(before["state"].string == "disconnected")

                try await withDashboard(client, token: m.token) { frames in
                    let r = try await client.connect(m)
                    #expect(r.status == .accepted)
                    #expect(["linking", "qr"].contains(r.json["state"].string ?? ""), "\(r.json)")
                    _ = try await frames.next("linking") { $0.isStatus("linking") }
                    let first = try await frames.next("a QR code") { $0.isStatus("qr") }
                    let second = try await frames.next("the next QR code") { $0.isStatus("qr") }
                    var references: [String] = []
                    for frame in [first, second] {
                        let w = frame["whatsapp"]
                        let png = try #require(Data(base64Encoded: w["qr_png"].string ?? ""))
                        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                        references.append(try QRCodeImage.decode(png: png))
                        let expires = try #require(w["qr_expires_at"].string)
                        #expect(expires.hasSuffix("Z"))
                    }
                    #expect(references[0] != references[1], "the code rotated")
                    // The status endpoint shows the code on screen too.
                    let shown = try await client.status(m)
                    #expect(shown["state"].string == "qr")
                    #expect(shown["qr_png"].string != nil)

                    // Connect while a code is shown starts nothing.
                    let launches = await app.web.poolStats().launches
                    let again = try await client.connect(m)
                    #expect(again.status == .accepted)
                    #expect(again.json["state"].string == "qr")

                    let qr = try await frames.next("a current QR code") { $0.isStatus("qr") }
                    let device = try fake.scan(png: try #require(Data(base64Encoded: qr["whatsapp"]["qr_png"].string ?? "")))
                    #expect(references[0].hasPrefix(device + "#"))
                    _ = try await frames.next("connected") { $0.isStatus("connected") }
                    #expect(await app.web.poolStats().launches == launches)
                }
                #expect(try await client.status(m)["state"].string == "connected")
                // Browser closed, profile kept.
                try await eventually("the browser closes") { ChromeProcesses.browsers(under: app.chromeDir).isEmpty }
                #expect(FileManager.default.fileExists(atPath: app.profile(m.id)))
                let launches = await app.web.poolStats().launches
                let again = try await client.connect(m)
                #expect(again.status == .accepted)
                #expect(again.json["state"].string == "connected")
                #expect(await app.web.poolStats().launches == launches)
            }
        }

        /// Nobody scans: after the configured number of codes the state returns to
        /// `disconnected` with a reason, and the browser ends.
        @Test func unscannedCodesGiveUp() async throws {
            try await withWebApp(site: { $0.qrRotationMillis = 600 }, configure: { $0.linking.maxCodes = 3 }) { app, _, client in
                let m = try await client.merchant("noscan@example.com")
                try await withDashboard(client, token: m.token) { frames in
                    #expect(try await client.connect(m).status == .accepted)
                    for n in 1...3 { _ = try await frames.next("code \(n)") { $0.isStatus("qr") } }
                    let gaveUp = try await frames.next("disconnected") { $0.isStatus("disconnected") }
                    #expect(gaveUp["whatsapp"]["detail"].string?.contains("not scanned") == true, "\(gaveUp)")
                }
                try await eventually("the browser closes") { ChromeProcesses.browsers(under: app.chromeDir).isEmpty }
                #expect(try await client.status(m)["state"].string == "disconnected")
            }
        }
    }
}
