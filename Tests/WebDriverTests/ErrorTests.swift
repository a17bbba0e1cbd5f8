import ApplianceCoding
import Testing
import WebDriver

extension BrowserTests {
    @Suite struct Errors {
        @Test func missingElementIsDecodedWithItsCode() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    let error = await #expect(throws: WebDriverError.self) {
                        try await session.findElement(.css("#does-not-exist"))
                    }
                    #expect(error?.code == .noSuchElement)
                    #expect(error?.httpStatus == 404)
                    #expect(error?.message.contains("#does-not-exist") == true)
                    #expect(error?.command?.hasSuffix("/element") == true)

                    let selector = await #expect(throws: WebDriverError.self) { try await session.findElement(.xpath("//[")) }
                    #expect(selector?.code == .invalidSelector)

                    // A reference to an element that left the DOM.
                    let heading = try await session.findElement(.css("#heading"))
                    try await session.executeScript("document.getElementById('heading').remove()")
                    let stale = await #expect(throws: WebDriverError.self) { try await heading.text }
                    #expect(stale?.code == .staleElementReference)
                }
            }
        }

        @Test func waitTimesOutWithAClearError() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    let clock = ContinuousClock()
                    let started = clock.now
                    let error = await #expect(throws: WebDriverError.self) {
                        try await session.wait("the heading to say Goodbye", timeout: .milliseconds(400)) {
                            try await session.findElement(.css("#heading")).text == "Goodbye"
                        }
                    }
                    let elapsed = clock.now - started
                    #expect(error?.code == .waitTimeout)
                    #expect(error?.message.contains("the heading to say Goodbye") == true)
                    #expect(error?.message.contains("timed out after") == true)
                    #expect(elapsed >= .milliseconds(400) && elapsed < .seconds(3))

                    // Missing elements count as "not yet"; the last one is named in the error.
                    let missing = await #expect(throws: WebDriverError.self) {
                        try await session.waitForElement(.css("#never"), timeout: .milliseconds(300))
                    }
                    #expect(missing?.code == .waitTimeout)
                    #expect(missing?.message.contains("no such element") == true)

                    // Other errors end the wait at once.
                    let started2 = clock.now
                    let script = await #expect(throws: WebDriverError.self) {
                        try await session.wait(timeout: .seconds(5)) { try await session.executeScript("throw 1") == true }
                    }
                    #expect(script?.code == .javascriptError)
                    #expect(clock.now - started2 < .seconds(2))
                }
            }
        }
    }
}
