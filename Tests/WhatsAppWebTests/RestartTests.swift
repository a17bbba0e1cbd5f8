import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import WhatsAppWebFake

extension WhatsAppWebBrowserTests {
    @Suite struct Restart {
        /// The login lives in the tenant's profile: after a server restart (and a crashed
        /// Chrome's stale `SingletonLock` in the profile) the tenant is `linking` until the first
        /// health check, which finds it `connected` without a new scan, and messages go out.
        @Test func loginSurvivesARestart() async throws {
            try ChromeProcesses.requireTools()
            try await withFakeSite { fake in
                try await withTempFolder { folder in
                    // Before: link.
                    let first = try await WebTestApp.open(folder: folder, fake: fake) { $0.initialCheckDelay = .seconds(600) }
                    let merchant = Box<Merchant>()
                    try await first.run { client in
                        let m = try await client.merchant("restart@example.com")
                        _ = try await client.link(m, fake: fake)
                        merchant.set(m)
                    }
                    await first.close()
                    await ChromeProcesses.expectAllGone(first)
                    let m = try #require(merchant.get)
                    #expect(fake.scans == 1)
                    // As if Chrome had crashed in a container with another hostname: a stale lock.
                    let profile = first.profile(m.id)
                    try FileManager.default.createSymbolicLink(atPath: profile + "/SingletonLock", withDestinationPath: "old-container-4242")

                    // After: the same folders, a new server.
                    let second = try await WebTestApp.open(folder: folder, fake: fake) { $0.initialCheckDelay = .milliseconds(1500) }
                    try await second.run { client in
                        let early = try await client.status(m)
                        #expect(early["state"].string == "linking", "\(early)")
                        try await withDashboard(client, token: m.token) { frames in
                            _ = try await frames.next("connected after the first check") { $0.isStatus("connected") }
                        }
                        try await client.order(11, to: m, phone: "06 12 34 56 78")
                        try await client.awaitMessage(11, of: m, "sent")
                    }
                    await second.close()
                    await ChromeProcesses.expectAllGone(second)
                    #expect(fake.scans == 1, "no second scan")
                    #expect(fake.sent(to: "+33612345678").count == 1)
                }
            }
        }
    }
}
