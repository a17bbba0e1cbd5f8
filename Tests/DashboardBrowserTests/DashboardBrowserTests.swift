import ApplianceCoding
import ApplianceTestSupport
import Foundation
import Testing
import WebDriver

/// The dashboard end to end in real headless Chromium (WebDriver) against the real binary.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DashboardBrowserTests {
    static let password = "correct horse battery"

    /// Sign-up through the UI, then an order posted to the webhook shows up live with its badge
    /// and a status change updates the row, without a reload.
    @Test func signUpThenOrdersArriveLiveAndStatusChangesUpdateTheRow() async throws {
        let app = try DashboardServer()
        defer { app.cleanup() }
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.signUp("live@example.com", Self.password)
            try await page.waitLive()
            let token = try #require(try await session.executeScript("return localStorage.getItem('sw.token')").stringValue)
            try app.configure(token: token)
            let userID = try #require(try await session.executeScript(
                "return fetch('/api/v1/auth/me', {headers: {Authorization: 'Bearer ' + localStorage.getItem('sw.token')}}).then(r => r.json()).then(j => j.id)"
            ).intValue)
            #expect(try app.postOrder(userID: userID, id: 4_100_000_000_000_001, number: 1001) == 200)
            try await page.waitBadge(order: 4_100_000_000_000_001, "pending")
            #expect(try app.postOrder(userID: userID, id: 4_100_000_000_000_002, number: 1002) == 200)
            try await page.waitBadge(order: 4_100_000_000_000_002, "pending")
            #expect(try await page.rowIDs().prefix(2) == ["4100000000000002", "4100000000000001"], "newest first")
            try app.setStatus(token: token, orderID: 4_100_000_000_000_001, "confirmed")
            try await page.waitBadge(order: 4_100_000_000_000_001, "confirmed")
            // The badge says it in words too (readable without colour).
            let text = try await session.findElement(.css("#orders-body tr[data-order-id='4100000000000001'] .badge")).text
            #expect(text.lowercased().contains("confirmed"))
            #expect(try await page.consoleErrors().isEmpty)
        }
    }

    /// Sign-up closed: the form says how to get an account; the invite link's code (from
    /// `user invite`, made while the server runs) signs up through the same form.
    @Test func anInviteLinkSignsUpWhenSignUpIsClosed() async throws {
        let app = try DashboardServer(environment: ["SIGNUP": "closed"])
        defer { app.cleanup() }
        let code = try app.invite()
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.open("/#signup")
            try await page.submitSignUp("walk-in@example.com", Self.password)
            let refusal = try await page.waitAuthError()
            #expect(refusal.contains("invite"), "\(refusal)")
            try await page.open("/?invite=\(code)#signup")
            try await page.submitSignUp("invited@example.com", Self.password)
            try await page.waitReady()
            #expect(try await session.executeScript("return localStorage.getItem('sw.token')").stringValue != nil)
        }
    }

    /// Two merchants in two browsers: each sees only its own orders, live.
    @Test func twoTenantsInTwoBrowsersSeeOnlyTheirOwnOrders() async throws {
        let app = try DashboardServer()
        defer { app.cleanup() }
        let a = try app.merchant("a@example.com", password: Self.password)
        let b = try app.merchant("b@example.com", password: Self.password)
        try await ChromeDriverService.withService { service in
            try await service.withSession(.dashboard()) { first in
                try await service.withSession(.dashboard()) { second in
                    let pageA = DashboardPage(session: first, baseURL: app.baseURL)
                    let pageB = DashboardPage(session: second, baseURL: app.baseURL)
                    try await pageA.logIn("a@example.com", Self.password)
                    try await pageB.logIn("b@example.com", Self.password)
                    try await pageA.waitLive()
                    try await pageB.waitLive()
                    try app.postOrder(userID: a.id, id: 11, number: 1011, customer: "Alice Only")
                    try app.postOrder(userID: b.id, id: 22, number: 1022, customer: "Bob Only")
                    try await pageA.waitBadge(order: 11, "pending")
                    try await pageB.waitBadge(order: 22, "pending")
                    // A third order for A, so B had every chance to receive a stray frame.
                    try app.postOrder(userID: a.id, id: 12, number: 1012)
                    try await pageA.waitBadge(order: 12, "pending")
                    #expect(try await pageA.rowIDs() == ["12", "11"])
                    #expect(try await pageB.rowIDs() == ["22"])
                    let sourceB = try await second.pageSource
                    #expect(!sourceB.contains("Alice Only"))
                }
            }
        }
    }

    /// A customer named like an HTML injection renders as text, runs nothing.
    @Test func attackerControlledNamesRenderAsText() async throws {
        let app = try DashboardServer()
        defer { app.cleanup() }
        let m = try app.merchant("xss@example.com", password: Self.password)
        let evil = "<img src=x onerror=alert(1)>"
        try app.postOrder(userID: m.id, id: 666, number: 1666, customer: evil)
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.logIn("xss@example.com", Self.password)
            try await page.waitBadge(order: 666, "pending")
            let cell = try await session.findElement(.css("#orders-body tr[data-order-id='666'] .col-customer"))
            #expect(try await cell.text.contains(evil))
            // No element was made from the name, and no alert is open (an open alert makes every
            // further WebDriver command fail with "unexpected alert open").
            #expect(try await session.findElements(.css("#orders-body img")).isEmpty)
            try await page.open("/#/orders/666")
            let dialog = try await session.waitForElement(.css("#order-detail"))
            try await session.wait("the detail names the customer") { try await dialog.text.contains(evil) }
            #expect(try await session.findElements(.css("#order-detail img")).isEmpty)
            #expect(try await session.executeScript("return 1 + 1").intValue == 2)
        }
    }

    /// Settings saved in the form survive a reload and match the API; an invalid value is shown
    /// at its field and nothing is saved.
    @Test func settingsRoundTripAndFieldErrors() async throws {
        let app = try DashboardServer()
        defer { app.cleanup() }
        let m = try app.merchant("settings@example.com", password: Self.password)
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.logIn("settings@example.com", Self.password)
            try await page.tab("settings")
            let form = try await session.waitForElement(.css("#settings-form"))
            let delay = try await form.findElement(.css("[name=confirmation_delay_minutes]"))
            try await delay.clear()
            try await delay.sendKeys("12.5")
            try await form.findElement(.css("[name=confirmation_mode][value=ask]")).click()
            let template = try await form.findElement(.css("[name=message_template]"))
            try await template.clear()
            try await template.sendKeys("Salam {customer_name}, reply 1 to confirm {order_number}")
            let shop = try await form.findElement(.css("[name=shop_name]"))
            try await shop.clear()
            try await shop.sendKeys("Atlas Browser Shop")
            try await session.findElement(.css("#settings-save")).click()
            try await session.wait("Saved") { try await session.findElement(.css("#settings-status")).text.contains("Saved") }
            let saved = try HTTPConnection(port: app.port).json("GET", "/api/v1/admin/settings", token: m.token).object ?? [:]
            #expect(saved["confirmation_delay_minutes"] as? Double == 12.5)
            #expect(saved["confirmation_mode"] as? String == "ask")
            #expect(saved["shop_name"] as? String == "Atlas Browser Shop")
            #expect(saved["message_template"] as? String == "Salam {customer_name}, reply 1 to confirm {order_number}")
            try await page.screenshot("settings-saved")

            try await session.refresh()
            try await page.waitReady()
            try await page.tab("settings")
            try await session.wait("the saved values after a reload") {
                try await session.findElement(.css("#settings-form [name=confirmation_delay_minutes]")).property("value").stringValue == "12.5"
            }
            #expect(try await session.findElement(.css("#settings-form [name=confirmation_mode][value=ask]")).isSelected)
            #expect(try await session.findElement(.css("#settings-form [name=shop_name]")).property("value").stringValue == "Atlas Browser Shop")

            let delayAgain = try await session.findElement(.css("#settings-form [name=confirmation_delay_minutes]"))
            try await delayAgain.clear()
            try await delayAgain.sendKeys("-3")
            try await session.findElement(.css("#settings-save")).click()
            let error = try await session.waitFor("the error at the delay field") {
                let e = try await session.findElement(.css("[data-error-for='confirmation_delay_minutes']"))
                return try await e.text.isEmpty ? nil : e
            }
            #expect(try await error.isDisplayed)
            #expect(try await delayAgain.attribute("aria-invalid") == "true")
            try await page.screenshot("settings-field-error")
            let after = try HTTPConnection(port: app.port).json("GET", "/api/v1/admin/settings", token: m.token).object ?? [:]
            #expect(after["confirmation_delay_minutes"] as? Double == 12.5, "nothing of the refused PUT applied")
        }
    }

    /// The server restarts while the dashboard is open: it shows the connection lost, reconnects
    /// by itself, and catches up on what happened while it was disconnected.
    @Test func reconnectCatchesUpAfterAServerRestart() async throws {
        let app = try DashboardServer()
        defer { app.cleanup() }
        let m = try app.merchant("restart@example.com", password: Self.password)
        try app.postOrder(userID: m.id, id: 501, number: 1501)
        try await withChromeSession(.dashboard()) { session in
            let page = DashboardPage(session: session, baseURL: app.baseURL)
            try await page.logIn("restart@example.com", Self.password)
            try await page.waitLive()
            try await page.waitBadge(order: 501, "pending")
            var missedWhileDisconnected = false
            var round = 0
            while !missedWhileDisconnected && round < 4 {
                round += 1
                app.stop()
                try await session.wait("the dashboard notices", timeout: .seconds(15)) { try await page.liveState() != "live" }
                try app.restart()
                // Changes made while no dashboard is connected (checked before and after), so
                // only the catch-up can bring them.
                guard try app.liveClients() == 0 else { continue }
                let id = UInt64(510 + round)
                try app.postOrder(userID: m.id, id: id, number: 1510 + round)
                try app.setStatus(token: m.token, orderID: 501, round == 1 ? "confirmed" : (round % 2 == 0 ? "cancelled" : "pending"))
                missedWhileDisconnected = try app.liveClients() == 0
                try await page.waitLive(timeout: .seconds(40))
                try await page.waitBadge(order: id, "pending")
                let expected = round == 1 ? "confirmed" : (round % 2 == 0 ? "cancelled" : "pending")
                try await page.waitBadge(order: 501, expected)
            }
            #expect(missedWhileDisconnected, "the changes were made while a dashboard was connected in every round")
        }
    }

    /// Screenshots of every tab (desktop and phone) on the demo data, saved as test artefacts,
    /// with no console errors (CSP violations would show there).
    @Test func screenshotsOfEveryTabOnTheDemoData() async throws {
        let app = try DashboardServer(seed: DashboardServer.packageRoot() + "/data.example")
        defer { app.cleanup() }
        for (label, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
            try await withChromeSession(.dashboard(width: width, height: height)) { session in
                let page = DashboardPage(session: session, baseURL: app.baseURL)
                try await page.logIn("demo@example.com", "demo-password")
                try await page.waitLive()
                #expect(try await page.rowIDs().count >= 10)
                try await page.screenshot("\(label)-orders")
                try await page.open("/#/orders/5912000003")
                _ = try await session.waitForElement(.css("#order-timeline li"))
                try await page.screenshot("\(label)-order-detail")
                try await page.open("/#/orders")
                for tab in ["settings", "whatsapp", "analytics"] {
                    try await page.tab(tab)
                    if tab == "analytics" { _ = try await session.waitForElement(.css("#daily-chart")) }
                    try await page.screenshot("\(label)-\(tab)")
                }
                #expect(try await page.consoleErrors().isEmpty, "\(label)")
            }
        }
    }
}
