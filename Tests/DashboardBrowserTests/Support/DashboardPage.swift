import ApplianceCoding
import Foundation
import WebDriver

/// The dashboard in one browser session, in the words of the UI (ids from the page's test hooks).
struct DashboardPage {
    let session: WebDriverSession
    let baseURL: String

    func open(_ path: String = "/") async throws {
        try await session.navigate(to: baseURL + path)
    }

    /// Signs up through the form and waits for the dashboard.
    func signUp(_ email: String, _ password: String) async throws {
        try await open("/#signup")
        try await session.waitForElement(.css("#show-signup")).click()
        let form = try await session.waitForElement(.css("#signup-form"))
        try await form.findElement(.css("input[name=email]")).sendKeys(email)
        try await form.findElement(.css("input[name=password]")).sendKeys(password)
        try await form.findElement(.css("[type=submit]")).click()
        try await waitReady()
    }

    /// Fills and submits the sign-up form of the page as it is (no navigation).
    func submitSignUp(_ email: String, _ password: String) async throws {
        let form = try await session.waitForElement(.css("#signup-form"))
        try await form.findElement(.css("input[name=email]")).clear()
        try await form.findElement(.css("input[name=email]")).sendKeys(email)
        try await form.findElement(.css("input[name=password]")).sendKeys(password)
        try await form.findElement(.css("[type=submit]")).click()
    }

    /// The sign-up or log-in form's error once one shows.
    func waitAuthError() async throws -> String {
        try await session.wait("the auth form's error", timeout: .seconds(10)) {
            try await session.executeScript("const e = document.querySelector('#auth-error'); return !!e && !e.hidden").boolValue == true
        }
        return try await session.executeScript("return document.querySelector('#auth-error').textContent").stringValue ?? ""
    }

    /// Logs in through the form and waits for the dashboard.
    func logIn(_ email: String, _ password: String) async throws {
        try await open("/#login")
        try await session.waitForElement(.css("#show-login")).click()
        let form = try await session.waitForElement(.css("#login-form"))
        try await form.findElement(.css("input[name=email]")).clear()
        try await form.findElement(.css("input[name=email]")).sendKeys(email)
        try await form.findElement(.css("input[name=password]")).sendKeys(password)
        try await form.findElement(.css("[type=submit]")).click()
        try await waitReady()
    }

    func waitReady() async throws {
        try await session.wait("the dashboard's first page", timeout: .seconds(15)) {
            try await session.executeScript("return document.body.dataset.ready === '1'").boolValue == true
        }
    }

    /// Waits for the live connection state to be `state` (live, reconnecting, offline).
    func waitLive(_ state: String = "live", timeout: Duration = .seconds(15)) async throws {
        try await session.wait("#live-state = \(state)", timeout: timeout) {
            try await liveState() == state
        }
    }

    func liveState() async throws -> String? {
        try await session.executeScript("return document.querySelector('#live-state')?.dataset.state ?? null").stringValue
    }

    /// The status badge of order `id` once it shows `status`.
    func waitBadge(order id: UInt64, _ status: String, timeout: Duration = .seconds(10)) async throws {
        try await session.wait("order \(id) with badge \(status)", timeout: timeout) {
            try await badge(order: id) == status
        }
    }

    func badge(order id: UInt64) async throws -> String? {
        try await session.executeScript(
            "const b = document.querySelector(`#orders-body tr[data-order-id='${arguments[0]}'] .badge`); return b ? b.dataset.status : null",
            args: [.string(String(id))]).stringValue
    }

    /// The order ids in the table, top to bottom.
    func rowIDs() async throws -> [String] {
        let value = try await session.executeScript(
            "return [...document.querySelectorAll('#orders-body tr[data-order-id]')].map(r => r.dataset.orderId)")
        return value.arrayValue?.compactMap(\.stringValue) ?? []
    }

    func tab(_ name: String) async throws {
        try await session.waitForElement(.css("#tab-\(name)")).click()
        _ = try await session.waitForElement(.css("#panel-\(name)"))
    }

    func screenshot(_ name: String) async throws {
        try Artefacts.save(try await session.screenshot(), as: name)
    }

    /// Browser console errors (CSP violations, exceptions), excluding failed requests a test caused.
    func consoleErrors() async throws -> [String] {
        try await session.browserLogs().filter { $0.isError && !$0.message.contains("Failed to load resource") }.map(\.message)
    }
}

extension ChromeOptions {
    /// Headless Chromium at desktop size with browser logs captured.
    static func dashboard(width: Int = 1280, height: Int = 900) -> ChromeOptions {
        var options = ChromeOptions.fromEnvironment()
        options.windowSize = (width, height)
        options.capturesBrowserLogs = true
        return options
    }
}
