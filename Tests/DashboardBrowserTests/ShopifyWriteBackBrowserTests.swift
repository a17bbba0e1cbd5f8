import ApplianceCoding
import ApplianceTestSupport
import Foundation
import ShopifyAdminFake
import Testing
import WebDriver

/// Shopify write-back in the dashboard (real Chromium, real binary, the fake Admin API): a
/// refused token shows one banner and a badge on the row; pasting the right token in Settings
/// releases the queue, and "Test connection" says what Shopify answered.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ShopifyWriteBackBrowserTests {
    @Test func aRefusedTokenShowsOneBannerAndSettingsReleaseIt() async throws {
        let fake = try await ShopifyAdminFake.start()
        let app = try DashboardServer(environment: ["SHOPIFY_ADMIN_URL": fake.baseURL])
        defer { app.cleanup() }
        let merchant = try app.merchant("tags@example.com")
        let put = try HTTPConnection(port: app.port).json("PUT", "/api/v1/admin/settings", [
            "shopify": ["admin_access_token": "shpat_revoked", "shop_domain": "demo-shop.myshopify.com"],
        ], token: merchant.token)
        #expect(put.status == 200)
        let ids: [UInt64] = [5_100_000_000_000_001, 5_100_000_000_000_002]
        for (i, id) in ids.enumerated() {
            try app.postOrder(userID: merchant.id, id: id, number: 3001 + i)
            try app.setStatus(token: merchant.token, orderID: id, "confirmed")
        }
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.logIn("tags@example.com", DashboardBrowserTests.password)
            try await page.waitLive()
            for id in ids {
                try await session.wait("order \(id) shows the held badge") {
                    try await session.executeScript(
                        "return document.querySelector(`#orders-body tr[data-order-id='${arguments[0]}'] .sync-badge`)?.dataset.sync ?? null",
                        args: [.string(String(id))]).stringValue == "held"
                }
            }
            // One banner for the tenant, not one error per order.
            let banner = try await session.waitForElement(.css("#shopify-hold-banner"))
            #expect(try await banner.text.contains("401"))
            #expect(try await session.executeScript(
                "return [...document.querySelectorAll('[role=alert]')].filter(e => e.offsetParent !== null && e.textContent.includes('401')).length"
            ).intValue == 1, "one banner, not one per order")
            try await page.screenshot("shopify-writeback-held")

            try await page.tab("settings")
            _ = try await session.waitForElement(.css("#shopify-hold"))
            let token = try await session.waitForElement(.css("#set-shopify-admin_access_token"))
            try await token.sendKeys("shpat_fake_admin_token")
            try await session.waitForElement(.css("#settings-save")).click()
            try await session.wait("settings saved") {
                try await session.executeScript("return document.querySelector('#settings-status')?.dataset.kind ?? null").stringValue == "saved"
            }
            try await session.waitForElement(.css("#shopify-test")).click()
            try await session.wait("the test says what Shopify answered") {
                try await session.executeScript("return document.querySelector('#shopify-test-result')?.textContent ?? ''").stringValue?
                    .contains("Demo Shop") == true
            }
            _ = try await session.executeScript("document.getElementById('sec-shopify-write-back').scrollIntoView()")
            try await page.screenshot("shopify-writeback-settings")

            try await page.tab("orders")
            for id in ids {
                try await session.wait("order \(id) written back") {
                    try await session.executeScript(
                        "return document.querySelector(`#orders-body tr[data-order-id='${arguments[0]}'] .sync-badge`) === null",
                        args: [.string(String(id))]).boolValue == true
                }
            }
            try await session.wait("the banner goes away") {
                try await session.executeScript("return document.querySelector('#shopify-hold-banner')?.hidden").boolValue == true
            }
            #expect(ids.allSatisfy { fake.order($0).tags == ["whatsapp-confirmed"] })
            #expect(try await page.consoleErrors().isEmpty)
        }
        await fake.stop()
    }
}
