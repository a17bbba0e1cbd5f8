import ApplianceCoding
import Foundation
import Testing
@testable import WebDriver

/// Pieces that need no browser.
@Suite struct UnitTests {
    @Test func errorAnswersDecodeToWebDriverErrors() throws {
        let body = #"{"value":{"error":"no such element","message":"no such element: Unable to locate element","stacktrace":""}}"#
        let error = try #require(throws: WebDriverError.self) {
            try WebDriverClient.decode(status: 404, body: Array(body.utf8), command: "POST /session/1/element")
        }
        #expect(error.code == .noSuchElement)
        #expect(error.httpStatus == 404)
        #expect(error.message.hasPrefix("no such element"))
        #expect(error.description.contains("[HTTP 404]"))

        #expect(try WebDriverClient.decode(status: 200, body: Array(#"{"value":null}"#.utf8), command: "x") == .null)
        #expect(try WebDriverClient.decode(status: 200, body: Array(#"{"value":{"a":1}}"#.utf8), command: "x")["a"] == 1)
        let html = try #require(throws: WebDriverError.self) {
            try WebDriverClient.decode(status: 502, body: Array("<html>bad gateway</html>".utf8), command: "x")
        }
        #expect(html.code == .invalidResponse)
        let noCode = try #require(throws: WebDriverError.self) {
            try WebDriverClient.decode(status: 500, body: Array(#"{"value":{}}"#.utf8), command: "x")
        }
        #expect(noCode.code == .unknownError)
    }

    @Test func unreachableDriverIsATransportError() async throws {
        let client = WebDriverClient(baseURL: "http://127.0.0.1:1", commandTimeout: .seconds(2))
        let error = await #expect(throws: WebDriverError.self) { try await client.send(.get, "/status") }
        #expect(error?.code == .transport)
        #expect(error?.httpStatus == nil)
    }

    @Test func chromeOptionsBuildArgumentsAndCapabilities() throws {
        var options = ChromeOptions.fromEnvironment(["CHROME_BINARY": "/opt/chrome/chrome"])
        #expect(options.binary == "/opt/chrome/chrome")
        options.userDataDirectory = "/data/chrome/tenant-1"
        options.additionalArguments = ["--lang=de"]
        options.extraChromeOptions = ["excludeSwitches": ["enable-automation"]]
        options.capturesBrowserLogs = true
        #expect(options.arguments == [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--no-default-browser-check", "--password-store=basic", "--window-size=1280,900",
            "--user-data-dir=/data/chrome/tenant-1", "--lang=de",
        ])
        let caps = options.capabilities
        #expect(caps["browserName"] == "chrome")
        #expect(caps["goog:chromeOptions"]?["binary"] == "/opt/chrome/chrome")
        #expect(caps["goog:chromeOptions"]?["args"]?.arrayValue?.count == 10)
        #expect(caps["goog:chromeOptions"]?["excludeSwitches"] == ["enable-automation"])
        #expect(caps["timeouts"] == ["script": 30000, "pageLoad": 30000, "implicit": 0])
        #expect(caps["goog:loggingPrefs"] == ["browser": "ALL"])

        #expect(ChromeOptions.fromEnvironment([:]).binary == "chromium")
        #expect(ChromeDriverService.Configuration.fromEnvironment(["CHROMEDRIVER": "/x/cd"]).executable == "/x/cd")
        let missing = try #require(throws: WebDriverError.self) {
            try ChromeOptions(binary: "no-such-browser").resolvedCapabilities(environment: ["PATH": "/nonexistent"])
        }
        #expect(missing.code == .launchFailed)
    }

    @Test func driverPortIsReadFromItsOutput() throws {
        let dir = try ChromeHarness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = dir + "/chromedriver.log"
        try "Starting ChromeDriver 156.0 on port 0\nOnly local connections are allowed.\n".write(toFile: log, atomically: false, encoding: .utf8)
        #expect(ChromeDriverService.reportedPort(in: log) == nil)
        try "Starting ChromeDriver 156.0 on port 0\nChromeDriver was started successfully on port 40765.\n"
            .write(toFile: log, atomically: false, encoding: .utf8)
        #expect(ChromeDriverService.reportedPort(in: log) == 40765)
    }

    @Test func lockTargetsParse() {
        #expect(ChromeProfileLock.parse("vm-123")! == ("vm", 123))
        #expect(ChromeProfileLock.parse("my-host-name-77")! == ("my-host-name", 77))
        #expect(ChromeProfileLock.parse("nodash") == nil)
        #expect(ChromeProfileLock.parse("host-notapid")! == ("host", nil))
    }

    @Test func locatorsUseW3CStrategies() {
        #expect(Locator.css("a.b").strategy == "css selector")
        #expect(Locator.xpath("//a").strategy == "xpath")
        #expect(Locator.linkText("Next").strategy == "link text")
        #expect(Locator.id(#"we"ird"#).value == #"[id="we\"ird"]"#)
    }
}
