import ApplianceCoding
import Foundation
import Testing
@testable import WebDriver

extension BrowserTests {
    @Suite struct Lifecycle {
        struct Boom: Error {}

        /// chromedriver (the browser's parent) and everything in its process group, seen from a session.
        static func processes(of session: WebDriverSession) throws -> Set<Int32> {
            let browser = try #require(session.browserProcessID)
            let driver = try #require(ProcessTable.stat(browser)?.ppid)
            return Set(ProcessTable.members(ofGroup: driver) + [driver, browser])
        }

        @Test func withChromeSessionCleansUpAfterAnError() async throws {
            try ChromeHarness.requireTools()
            let watch = ProcessWatch()
            await #expect(throws: Boom.self) {
                try await withChromeSession(ChromeHarness.options(), driver: ChromeHarness.driver, logger: ChromeHarness.logger) { session in
                    #expect(try await session.executeScript("return navigator.webdriver") == true)
                    watch.record(Array(try Self.processes(of: session)))
                    throw Boom()
                }
            }
            #expect(watch.pids.count >= 3)
            watch.expectAllGone()
        }

        @Test func cancellationEndsTheBrowserAndTheDriver() async throws {
            try ChromeHarness.requireTools()
            let watch = ProcessWatch()
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                try await withChromeSession(ChromeHarness.options(), driver: ChromeHarness.driver, logger: ChromeHarness.logger) { session in
                    watch.record(Array(try Self.processes(of: session)))
                    startedContinuation.yield()
                    try await Task.sleep(for: .seconds(60))
                }
            }
            var iterator = started.makeAsyncIterator()
            _ = await iterator.next()
            let clock = ContinuousClock()
            let cancelled = clock.now
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(clock.now - cancelled < .seconds(10))
            watch.expectAllGone()
        }

        @Test func explicitShutdownEndsOpenSessions() async throws {
            try ChromeHarness.requireTools()
            let service = try await ChromeDriverService.start(ChromeHarness.driver, logger: ChromeHarness.logger)
            let watch = ProcessWatch()
            let first = try await service.newSession(ChromeHarness.options())
            let second = try await service.newSession(ChromeHarness.options())
            #expect(service.openSessions.count == 2)
            watch.record(service.processIDs())
            #expect(watch.pids.contains(service.processID))
            #expect(watch.pids.isSuperset(of: [first.browserProcessID, second.browserProcessID].compactMap { $0 }))

            // Throwaway profiles and Chrome's socket directories go to the service's private TMPDIR.
            let scratch = try FileManager.default.contentsOfDirectory(atPath: service.temporaryDirectory)
            #expect(scratch.contains { $0.contains("scoped_dir") }, "\(scratch)")
            #expect(second.userDataDirectory?.hasPrefix(service.temporaryDirectory) == true)

            await service.endSession(first)
            #expect(service.openSessions.map(\.id) == [second.id])
            await service.shutdown()
            await service.shutdown()  // idempotent
            #expect(!service.isRunning)
            watch.expectAllGone()
            #expect(!FileManager.default.fileExists(atPath: service.logPath))
            #expect(!FileManager.default.fileExists(atPath: service.temporaryDirectory))

            let error = await #expect(throws: WebDriverError.self) { try await service.newSession(ChromeHarness.options()) }
            #expect(error?.code == .serviceShutDown)
        }

        @Test func droppingAServiceWithoutShutdownKillsItsProcesses() async throws {
            try ChromeHarness.requireTools()
            let watch = ProcessWatch()
            var service: ChromeDriverService? = try await ChromeDriverService.start(ChromeHarness.driver, logger: ChromeHarness.logger)
            _ = try await service?.newSession(ChromeHarness.options())
            watch.record(service?.processIDs() ?? [])
            let scratch = service?.temporaryDirectory ?? ""
            service = nil
            let deadline = ContinuousClock.now + .seconds(5)
            while !watch.alive.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(watch.pids.count >= 3)
            watch.expectAllGone()
            #expect(!FileManager.default.fileExists(atPath: scratch))
        }

        /// Not Sendable: the scoped APIs run their body in the caller's isolation, so it may touch this.
        final class Counter { var value = 0 }

        @MainActor @Test func scopedAPIsRunInTheCallersIsolation() async throws {
            try ChromeHarness.requireTools()
            let counter = Counter()
            let title = try await withChromeSession(ChromeHarness.options(), driver: ChromeHarness.driver, logger: ChromeHarness.logger) { session in
                MainActor.assertIsolated()
                counter.value += 1
                try await session.navigate(to: "data:text/html,<title>inline</title>")
                counter.value += 1
                return try await session.title
            }
            #expect(title == "inline")
            #expect(counter.value == 2)
        }

        @Test func freeLoopbackPortStrategyStartsTheDriver() async throws {
            try ChromeHarness.requireTools()
            var configuration = ChromeHarness.driver
            configuration.port = .freeLoopbackPort
            let watch = ProcessWatch()
            try await ChromeDriverService.withService(configuration, logger: ChromeHarness.logger) { service in
                watch.record(service.processIDs())
                #expect(service.port > 0)
                let status = try await service.client.send(.get, "/status")
                #expect(status["ready"] == true)
            }
            watch.expectAllGone()
        }

        @Test func aPortTakenAtStartupIsRetried() async throws {
            try ChromeHarness.requireTools()
            let dir = try ChromeHarness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            // A chromedriver whose first start loses the race for its port.
            let real = try #require(ExecutableLookup.find(ChromeHarness.driver.executable))
            let script = dir + "/chromedriver"
            try """
                #!/bin/sh
                if [ ! -e "$FLAKY_FLAG" ]; then touch "$FLAKY_FLAG"; echo "bind() failed: Address already in use (98)" >&2; exit 1; fi
                exec "\(real)" "$@"
                """.write(toFile: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
            var configuration = ChromeHarness.driver
            configuration.executable = script
            configuration.environment["FLAKY_FLAG"] = dir + "/failed-once"
            let watch = ProcessWatch()
            try await ChromeDriverService.withService(configuration, logger: ChromeHarness.logger) { service in
                watch.record(service.processIDs())
                let status = try await service.client.send(.get, "/status")
                #expect(status["ready"] == true)
            }
            #expect(FileManager.default.fileExists(atPath: dir + "/failed-once"))
            watch.expectAllGone()

            // A fixed port is not retried; the error carries chromedriver's output.
            try FileManager.default.removeItem(atPath: dir + "/failed-once")
            configuration.port = .fixed(9)
            let error = await #expect(throws: WebDriverError.self) {
                try await ChromeDriverService.start(configuration, logger: ChromeHarness.logger)
            }
            #expect(error?.code == .driverNotReady)
            #expect(error?.message.contains("bind() failed") == true)
        }

        @Test func missingExecutablesFailClearly() async throws {
            var configuration = ChromeHarness.driver
            configuration.executable = "/nonexistent/chromedriver"
            let driver = await #expect(throws: WebDriverError.self) {
                try await ChromeDriverService.start(configuration, logger: ChromeHarness.logger)
            }
            #expect(driver?.code == .launchFailed)
            #expect(driver?.message.contains("CHROMEDRIVER") == true)

            try ChromeHarness.requireTools()
            var options = ChromeHarness.options()
            options.binary = "no-such-chromium-binary"
            let watch = ProcessWatch()
            let browser = await #expect(throws: WebDriverError.self) {
                try await ChromeDriverService.withService(ChromeHarness.driver, logger: ChromeHarness.logger) { service in
                    watch.record(service.processIDs())
                    _ = try await service.newSession(options)
                }
            }
            #expect(browser?.code == .launchFailed)
            #expect(browser?.message.contains("CHROME_BINARY") == true)
            watch.expectAllGone()
        }
    }
}
