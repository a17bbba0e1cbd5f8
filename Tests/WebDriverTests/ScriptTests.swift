import ApplianceCoding
import Testing
import WebDriver

extension BrowserTests {
    @Suite struct Scripts {
        struct Summary: Decodable, Equatable {
            let title: String
            let items: Int
        }

        @Test func executeScriptReturnsDecodedJSON() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    #expect(try await session.executeScript("return 6 * 7") == 42)
                    #expect(try await session.executeScript("return 6 * 7").intValue == 42)
                    #expect(try await session.executeScript("return 'x' + arguments[0]", args: ["y"]) == "xy")
                    #expect(try await session.executeScript("return arguments[0] && !arguments[1]", args: [true, false]) == true)
                    #expect(try await session.executeScript("return null") == .null)
                    #expect(try await session.executeScript("document.title = 'changed'") == .null)
                    #expect(try await session.executeScript("return [1, 'two', {three: 3.5}, [null]]")
                        == [1, "two", ["three": 3.5], [nil]])
                    let object = try await session.executeScript("return {n: arguments[0].n + 1, s: arguments[0].s}",
                                                                  args: [["n": 1, "s": "é ✓"]])
                    #expect(object["n"] == 2)
                    #expect(object["s"]?.stringValue == "é ✓")

                    // Elements in and out.
                    let heading = try await session.findElement(.css("#heading"))
                    #expect(try await session.executeScript("return arguments[0].id", args: [heading.jsonValue]) == "heading")
                    let returned = try await session.executeScript("return document.querySelector('li:last-child')")
                    let last = try #require(session.element(from: returned))
                    #expect(try await last.text == "three")

                    // Typed decoding; promises are awaited.
                    let summary = try await session.executeScript(
                        "return {title: document.title, items: document.querySelectorAll('li').length}", as: Summary.self)
                    #expect(summary == Summary(title: "changed", items: 3))
                    #expect(try await session.executeScript("return new Promise(r => setTimeout(() => r('later'), 50))") == "later")

                    let async = try await session.executeAsyncScript(
                        "const done = arguments[arguments.length - 1]; setTimeout(() => done(arguments[0] * 2), 50)", args: [21])
                    #expect(async == 42)

                    let error = await #expect(throws: WebDriverError.self) {
                        try await session.executeScript("throw new Error('boom')")
                    }
                    #expect(error?.code == .javascriptError)
                    #expect(error?.message.contains("boom") == true)
                }
            }
        }

        @Test func scriptTimeoutIsTheDriversError() async throws {
            try await ChromeHarness.withSession { session in
                try await session.setTimeouts(script: .milliseconds(200))
                #expect(try await session.timeouts().script == .milliseconds(200))
                let error = await #expect(throws: WebDriverError.self) {
                    try await session.executeAsyncScript("/* never calls back */")
                }
                #expect(error?.code == .scriptTimeout)
            }
        }

        @Test func browserLogsCollectConsoleMessages() async throws {
            try await TestServer.with { server in
                var options = ChromeHarness.options()
                options.capturesBrowserLogs = true
                try await ChromeHarness.withSession(options) { session in
                    try await session.navigate(to: server.url("/console"))
                    let logs = try await session.browserLogs()
                    #expect(logs.contains { $0.message.contains("hello from the page") && !$0.isError })
                    #expect(logs.contains { $0.message.contains("something broke") && $0.isError })
                }
            }
        }
    }
}
