import ApplianceCoding
import ApplianceHTTPTestSupport
import Foundation
import HummingbirdTesting
import Logging
import Testing
import WebDriver
import WhatsAppWebFake
@testable import ApplianceWhatsAppWeb

extension WhatsAppWebBrowserTests {
    @Suite struct OpenChat {
        /// One page, driven step by step: after a send the customer's chat is open, and a message
        /// arriving there gets no unread badge (the fake, like WhatsApp Web, marks it read at
        /// once); the page still finds it among the open chat's messages after ours. Leaving the
        /// chat (Escape) closes it: the next message shows as unread and the open chat reads nothing.
        @Test func openChatRepliesAndLeavingTheChat() async throws {
            try ChromeProcesses.requireTools()
            try await withFakeSite({ $0.autoLink = true }) { fake in
                try await withTempFolder { folder in
                    let configuration = WebTestApp.configuration(fake: fake, dataDir: folder + "/data", chromeDir: folder + "/chrome_data")
                    let logger = Logger(label: "whatsapp-web-tests")
                    let browser = try await WebBrowser.launch(tenantID: 1, profile: configuration.profilePath(1), configuration: configuration, logger: logger)
                    do {
                        let page = WhatsAppWebPage(session: browser.session, selectors: .defaults, timeouts: configuration.timeouts,
                                                   screenshots: FailureScreenshots(directory: folder, keep: 5, logger: logger))
                        try await check(page, fake: fake)
                    } catch {
                        await browser.close()
                        throw error
                    }
                    await browser.close()
                }
            }
        }

        /// A kept browser that still shows the customer's chat (opened again here, as a send that
        /// could not leave it would have left it) gets the answer with no badge: the poll reads
        /// the open chat before it loads the page, and the reply decides the order.
        @Test func pollReadsTheChatAKeptBrowserHasOpen() async throws {
            try await withWebApp { app, fake, client in
                let m = try await client.merchant("open@example.com", settings: #""confirmation_mode": "ask""#)
                let device = try await client.link(m, fake: fake)
                try await client.order(51, to: m, phone: "06 12 34 56 78", number: 1051)
                try await client.awaitMessage(51, of: m, "sent")

                let browser = try await app.web.pool.lease(tenantID: m.id, purpose: .send)
                do {
                    let page = app.web.page(browser)
                    try await page.open(fake.baseURL + "/send?phone=33612345678")
                    _ = try await page.waitForScreen([.chat], timeout: .seconds(15), step: "opening the chat again")
                    try await eventually("the chat shows open") { fake.openChat(device: device) == "33612345678" }
                    fake.receive(device: device, from: "+33612345678", text: "1")
                    #expect(fake.unread(device: device, phone: "+33612345678") == 0, "read at once: no badge")
                    try await eventually("the reply shows in the open chat") { try await !page.openChatReplies().isEmpty }
                } catch {
                    await app.web.pool.release(browser, reusable: false)
                    throw error
                }
                await app.web.pool.release(browser, reusable: true)

                await app.web.checkAll()
                let order = try await client.order(51, of: m)
                #expect(order["status"].string == "confirmed", "the poll read the open chat: \(order)")
            }
        }

        private func check(_ page: WhatsAppWebPage, fake: FakeWhatsAppWeb) async throws {
            let customer = "+33612345678"
            let result = await page.send(to: customer, text: "Reply 1 to confirm or 2 to cancel", baseURL: fake.baseURL, typing: .zero)
            guard case .sent = result else { throw TestFailure("send: \(result)") }
            let device = try #require(fake.devices.first)
            try await eventually("the chat shows open") { fake.openChat(device: device) == "33612345678" }
            #expect(try await page.openChatReplies().isEmpty, "nothing after our message yet")

            let id = fake.receive(device: device, from: customer, text: "1")
            #expect(fake.unread(device: device, phone: customer) == 0, "read at once in the open chat")
            try await eventually("the reply shows in the open chat") { try await !page.openChatReplies().isEmpty }
            #expect(try await page.openChatReplies() == [IncomingMessage(id: id, phone: customer, text: "1")])

            _ = try await page.session.executeScript("window.__sameDocument = true; return null;")
            try await page.leaveChat(baseURL: fake.baseURL)
            #expect(try await page.screen() == .chats)
            let sameDocument = try await page.session.executeScript("return window.__sameDocument === true;")
            #expect(sameDocument.boolValue == true, "Escape closed the chat (no page load)")
            try await eventually("the site hears the chat closed") { fake.openChat(device: device) == nil }
            fake.receive(device: device, from: customer, text: "2")
            #expect(fake.unread(device: device, phone: customer) == 1, "a closed chat gets a badge")
            #expect(try await page.openChatReplies().isEmpty, "no chat is open")
        }
    }
}
