import ApplianceCoding
import Foundation
import WebDriver

/// The WhatsApp Web tab of one tenant's browser, read through the selectors. Every wait has a
/// time limit; a wait that runs out saves a screenshot in the tenant folder and throws a
/// ``WebStepError`` naming the elements that were not found.
struct WhatsAppWebPage: Sendable {
    let session: WebDriverSession
    let selectors: WebSelectors
    let timeouts: WebTimeouts
    let screenshots: FailureScreenshots

    /// Loads `url` (returns at DOMContentLoaded; the app renders afterwards).
    func open(_ url: String) async throws {
        try await session.navigate(to: url)
    }

    /// The elements among `keys` that are visible now.
    func visible(_ keys: [WebSelectors.Key]) async throws -> Set<WebSelectors.Key> {
        let result = try await session.executeScript(PageScript.probe, args: [selectors.argument(keys)])
        var found: Set<WebSelectors.Key> = []
        for key in keys where (result[key.rawValue]?.intValue ?? -1) >= 0 { found.insert(key) }
        return found
    }

    /// What the page shows now.
    func screen() async throws -> PageScreen {
        PageScreen(visible: try await visible(PageScreen.probedKeys))
    }

    /// Waits until the page shows one of `screens` and returns it.
    /// - Throws: ``WebStepError`` (with a screenshot) when none shows within `timeout`.
    func waitForScreen(_ screens: Set<PageScreen>, timeout: Duration, step: String) async throws -> PageScreen {
        do {
            return try await session.waitFor(step, timeout: timeout, poll: timeouts.poll) { () async throws -> PageScreen? in
                let now = try await screen()
                return screens.contains(now) ? now : nil
            }
        } catch let error as WebDriverError where error.code == .waitTimeout {
            throw await failure(step, missing: PageScreen.expectedKeys(screens), reason: "not shown within \(Self.format(timeout))")
        }
    }

    /// The first visible element of `key`, or nil.
    func element(_ key: WebSelectors.Key) async throws -> WebElement? {
        session.element(from: try await session.executeScript(PageScript.first, args: [.array(selectors[key].map { .string($0) })]))
    }

    /// The text of the first visible element of `key`, or nil.
    func textOf(_ key: WebSelectors.Key) async throws -> String? {
        try await session.executeScript(PageScript.text, args: [list(key)]).stringValue
    }

    func list(_ key: WebSelectors.Key) -> JSONValue { .array(selectors[key].map { .string($0) }) }

    /// A failed step, with a screenshot of the page.
    func failure(_ step: String, missing: [WebSelectors.Key] = [], reason: String) async -> WebStepError {
        var error = WebStepError(step: step, missing: missing, reason: reason)
        error.screenshot = await screenshots.save(session)
        return error
    }

    static func format(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return ms % 1000 == 0 ? "\(ms / 1000) s" : "\(Double(ms) / 1000) s"
    }
}
