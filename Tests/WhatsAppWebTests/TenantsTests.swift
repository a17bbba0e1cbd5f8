import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Tenants {
        struct Linked: Sendable {
            let device: String
            let references: Set<String>
        }

        /// Two merchants link at the same time (two browsers allowed): each dashboard only ever
        /// gets codes of its own browser profile, the profiles differ, and each merchant's
        /// messages go out from its own WhatsApp.
        @Test func twoTenantsNeverShareAProfileOrACode() async throws {
            try await withWebApp(configure: { $0.maxBrowsers = 2 }) { app, fake, client in
                let a = try await client.merchant("alice@example.com")
                let b = try await client.merchant("bob@example.com")
                let probe = BrowserConcurrencyProbe.start(folder: app.chromeDir)
                let shown = [a.id: Box<Linked>(), b.id: Box<Linked>()]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for m in [a, b] {
                        group.addTask {
                            try await withDashboard(client, token: m.token) { frames in
                                #expect(try await client.connect(m).status == .accepted)
                                var references: Set<String> = []
                                var last = JSON.missing
                                while references.count < 2 {
                                    last = try await frames.next("a QR code") { $0.isStatus("qr") }
                                    let png = try #require(Data(base64Encoded: last["whatsapp"]["qr_png"].string ?? ""))
                                    references.insert(try QRCodeImage.decode(png: png))
                                }
                                let device = try fake.scan(png: try #require(Data(base64Encoded: last["whatsapp"]["qr_png"].string ?? "")))
                                _ = try await frames.next("connected") { $0.isStatus("connected") }
                                let frames = await frames.statuses
                                let qrCount = frames.filter { $0["state"].string == "qr" }.count
                                #expect(qrCount >= 2)
                                shown[m.id]?.set(Linked(device: device, references: references))
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let seen = await probe.stop()
                let linkedA = try #require(shown[a.id]?.get), linkedB = try #require(shown[b.id]?.get)
                let deviceA = linkedA.device, deviceB = linkedB.device
                #expect(deviceA != deviceB)
                #expect(linkedA.references.allSatisfy { $0.hasPrefix(deviceA + "#") }, "\(linkedA.references)")
                #expect(linkedB.references.allSatisfy { $0.hasPrefix(deviceB + "#") }, "\(linkedB.references)")
                #expect(seen.profiles == [app.profile(a.id), app.profile(b.id)], "\(seen.profiles)")
                #expect(seen.peak == 2, "both linked at once")

                try await client.order(31, to: a, phone: "06 12 34 56 78")
                try await client.order(32, to: b, phone: "06 22 22 22 22")
                try await client.awaitMessage(31, of: a, "sent")
                try await client.awaitMessage(32, of: b, "sent")
                #expect(fake.sent(to: "+33612345678").map(\.device) == [deviceA])
                #expect(fake.sent(to: "+33622222222").map(\.device) == [deviceB])
            }
        }

        /// 20 linked merchants (saved profiles, as after a restart) with due messages (two for
        /// some) and `--max-browsers 2`: never more than two Chromes at once, every message sent
        /// once from its merchant's own profile, a merchant's two messages in one session.
        @Test func poolLimitHoldsUnderTwentyTenants() async throws {
            let tenants = 20
            @Sendable func orders(_ n: Int) -> Int { n < 4 ? 2 : 1 }
            let total = (0..<tenants).map(orders).reduce(0, +)
            try await withWebApp(site: { $0.autoLink = true }, configure: { c in
                c.maxBrowsers = 2
                c.initialCheckDelay = .seconds(600)
            }) { app, fake, client in
                var merchants: [Merchant] = []
                for n in 1...tenants {
                    let m = try await client.merchant("shop\(n)@example.com")
                    try FileManager.default.createDirectory(atPath: app.profile(m.id), withIntermediateDirectories: true)
                    merchants.append(m)
                }
                let probe = BrowserConcurrencyProbe.start(folder: app.chromeDir)
                let started = ContinuousClock.now
                for (n, m) in merchants.enumerated() {
                    for k in 0..<orders(n) {
                        let phone = String(format: "06 %02d %02d 00 %02d", n + 10, k + 10, n)
                        try await client.order(UInt64(1000 + n * 10 + k), to: m, phone: phone, number: 2000 + n * 10 + k)
                    }
                }
                for (n, m) in merchants.enumerated() {
                    for k in 0..<orders(n) { try await client.awaitMessage(UInt64(1000 + n * 10 + k), of: m, "sent", seconds: 120) }
                }
                let seen = await probe.stop()
                let stats = await app.web.poolStats()
                print("pool test: \(total) messages of \(tenants) tenants in \(ContinuousClock.now - started), \(stats)")
                #expect(seen.peak <= 2, "Chromes at once: \(seen.peak)")
                #expect(stats.peak <= 2, "\(stats)")
                #expect(seen.peak == 2, "the pool used its two browsers")
                #expect(seen.profiles.count == tenants)
                #expect(fake.sent.count == total)
                let perDevice = Dictionary(grouping: fake.sent, by: \.device).mapValues(\.count)
                #expect(perDevice.count == tenants, "\(perDevice)")
                #expect(perDevice.values.sorted() == (0..<tenants).map(orders).sorted(), "\(perDevice)")
                #expect(stats.reuses >= 1, "a merchant's second message reuses the session: \(stats)")
            }
        }
    }
}
