import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Selectors {
        /// The operator's `data/whatsapp-web-selectors.json` replaces an element's selectors; a
        /// selector that finds nothing fails the step with a screenshot in the tenant folder, and
        /// the job is retried later (nothing was sent).
        @Test func overriddenSelectorThatFindsNothingSavesAScreenshot() async throws {
            try await withWebApp(configure: { $0.timeouts.screen = .seconds(3) }, prepare: { folder in
                try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
                try Data(##"{"version": 1, "selectors": {"composer": ["#main footer .no-such-composer"]}}"##.utf8)
                    .write(to: URL(fileURLWithPath: folder + "/data/whatsapp-web-selectors.json"))
            }) { app, fake, client in
                #expect(app.web.selectors[.composer] == ["#main footer .no-such-composer"])
                #expect(app.web.selectors[.qrCode] == WebSelectors.defaults[.qrCode])
                let m = try await client.merchant("selectors@example.com")
                _ = try await client.link(m, fake: fake)
                try await client.order(41, to: m, phone: "06 12 34 56 78")
                try await eventually(seconds: 30, "the attempt fails") {
                    try await client.order(41, of: m)["message"]["last_error"].string?.contains("composer") == true
                }
                let order = try await client.order(41, of: m)
                let error = try #require(order["message"]["last_error"].string)
                #expect(order["message"]["state"].string == "scheduled", "retried later: \(order["message"])")
                #expect(error.contains("retrying"), "\(error)")
                let shots = try FileManager.default.contentsOfDirectory(atPath: app.tenantFolder(m.id)).filter { $0.hasPrefix("web-error-") }
                #expect(shots.count == 1, "\(shots)")
                let shot = try #require(shots.first)
                #expect(error.contains(shot), "\(error)")
                let png = try Data(contentsOf: URL(fileURLWithPath: app.tenantFolder(m.id) + "/" + shot))
                #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
                let mode = try FileManager.default.attributesOfItem(atPath: app.tenantFolder(m.id) + "/" + shot)[.posixPermissions] as? Int
                #expect(mode == 0o600)
                #expect(fake.sent.isEmpty)
            }
        }
    }
}
