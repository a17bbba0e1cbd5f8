import Testing
import WebDriver

extension BrowserTests {
    @Suite struct AnswerHook {
        /// The error the hook puts in place of an answer.
        struct Lost: Error, CustomStringConvertible {
            var description: String { "the answer was lost" }
        }

        /// The hook runs after chromedriver answered: a navigation whose answer it loses fails
        /// as `.transport`, yet the browser did navigate; other commands pass through.
        @Test func lostAnswerIsATransportErrorAfterTheCommandTookEffect() async throws {
            var driver = ChromeHarness.driver
            driver.answerHook = { method, path, _ in
                if method == .post, path.hasSuffix("/url") { throw Lost() }
            }
            try await TestServer.with { server in
                try await ChromeHarness.withService(driver) { service, watch in
                    try await service.withSession(ChromeHarness.options()) { session in
                        watch.record(service.processIDs())
                        let error = await #expect(throws: WebDriverError.self) { try await session.navigate(to: server.url("/second")) }
                        #expect(error?.code == .transport)
                        #expect(error?.message.contains("the answer was lost") == true, "\(String(describing: error))")
                        let (url, title) = (try await session.currentURL, try await session.title)
                        #expect(url == server.url("/second"), "the command took effect")
                        #expect(title == "Second")
                    }
                }
            }
        }
    }
}
