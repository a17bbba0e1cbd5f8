import Foundation
import Logging
import Testing
import WebDriver
import WhatsAppWebFake
@testable import ApplianceWhatsAppWeb

@Test func debugFakeSend() async throws {
    var config = FakeSiteConfiguration()
    config.autoLink = true
    let fake = try await FakeWhatsAppWeb.start(config)
    let folder = NSTemporaryDirectory() + "/dbg-\(UUID().uuidString.prefix(6))"
    var c = WhatsAppWebConfiguration(baseURL: fake.baseURL, chromeDataDir: folder + "/chrome", dataDir: folder)
    c.timeouts.sentTick = .seconds(3)
    c.timeouts.poll = .milliseconds(100)
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let browser = try await WebBrowser.launch(tenantID: 1, profile: folder + "/chrome/1", configuration: c, logger: Logger(label: "dbg"))
    let page = WhatsAppWebPage(session: browser.session, selectors: .defaults, timeouts: c.timeouts,
                               screenshots: FailureScreenshots(directory: folder, keep: 5, logger: Logger(label: "dbg")))
    let result = await page.send(to: "+33612345678", text: "Hello Jeanne, your order #1001 of EUR 49.90 is confirmed! Thank you.", baseURL: fake.baseURL, typing: .zero)
    print("RESULT:", result)
    print("SOURCE:", try await browser.session.pageSource)
    print("SENT:", fake.sent)
    await browser.close()
    await fake.stop()
}
