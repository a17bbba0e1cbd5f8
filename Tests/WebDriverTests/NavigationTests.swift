import ApplianceCoding
import Testing
import WebDriver

extension BrowserTests {
    @Suite struct Navigation {
        @Test func navigateFindAndReadElements() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    #expect(try await session.title == "WebDriver Test")
                    #expect(try await session.currentURL == server.url("/"))

                    let heading = try await session.findElement(.css("h1.title"))
                    #expect(try await heading.text == "Hello")
                    #expect(try await heading.tagName == "h1")
                    #expect(try await heading.isDisplayed)

                    #expect(try await session.findElement(.xpath("//li[2]")).text == "two")
                    let items = try await session.findElements(.css("li.item"))
                    #expect(items.count == 3)
                    var texts: [String] = []
                    for item in items { texts.append(try await item.text) }
                    #expect(texts == ["one", "two", "three"])
                    #expect(try await session.findElements(.css("li.none")).isEmpty)
                    #expect(try await session.findElement(.css("ul")).findElements(.tagName("li")).count == 3)

                    let input = try await session.findElement(.id("name"))
                    #expect(try await input.attribute("data-role") == "name-input")
                    #expect(try await input.attribute("no-such-attribute") == nil)
                    #expect(try await input.property("value") == "initial")
                    #expect(try await input.isEnabled)
                    #expect(try await !session.findElement(.css("#hidden")).isDisplayed)

                    try await session.findElement(.linkText("Second page")).click()
                    try await session.wait("the second page") { try await session.title == "Second" }
                    #expect(try await session.currentURL == server.url("/second"))
                    #expect(try await session.findElement(.css("#where")).text == "second page")

                    try await session.back()
                    #expect(try await session.title == "WebDriver Test")
                    #expect(try await session.pageSource.contains("id=\"heading\""))
                }
            }
        }

        @Test func clickChangesTheDOMAndSendKeysTypes() async throws {
            try await TestServer.with { server in
                try await ChromeHarness.withSession { session in
                    try await session.navigate(to: server.url("/"))
                    let input = try await session.findElement(.css("#name"))
                    try await input.clear()
                    #expect(try await input.property("value") == "")
                    try await input.sendKeys("Adaa" + Key.backspace)
                    #expect(try await input.property("value") == "Ada")
                    #expect(try await session.activeElement() == input)

                    try await session.findElement(.css("#go")).click()
                    try await session.wait("the click to update #out", timeout: .seconds(5)) {
                        try await session.findElement(.css("#out")).text == "Clicked Ada"
                    }

                    // An element that appears 300 ms after a click.
                    try await session.findElement(.css("#later")).click()
                    let started = ContinuousClock.now
                    let late = try await session.waitForElement(.css("#late"), timeout: .seconds(5))
                    #expect(try await late.text == "arrived")
                    #expect(ContinuousClock.now - started < .seconds(3))
                }
            }
        }
    }
}
