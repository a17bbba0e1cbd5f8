import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension SystemTests {
    /// kill -9 under load, three times over the same data directory: every order the server
    /// acknowledged with a 2xx is there exactly once after each restart, and `check` passes.
    @Test func killNineUnderLoadLosesNoAcknowledgedOrder() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var run = try Self.startMerchant(harness)
        var acknowledged = Set<UInt64>()
        var nextID: UInt64 = 6_100_000_000_000_000_001
        for cycle in 1...3 {
            let server = run.server
            let storm = OrderStorm(port: server.port, userID: run.userID, secret: Self.secret, firstID: nextID, triggerAfter: 300)
            let result = await storm.run(workers: 16) { server.kill(SIGKILL) }
            nextID = storm.followingID
            #expect(server.waitForExit(timeout: .seconds(30)), "cycle \(cycle): serve did not die after SIGKILL")
            #expect(server.process.terminationReason == .uncaughtSignal && server.process.terminationStatus == SIGKILL,
                    "cycle \(cycle): serve ended with \(server.process.terminationReason) \(server.process.terminationStatus)")
            #expect(result.triggered, "cycle \(cycle): only \(result.acknowledged.count) acknowledgements")
            #expect(result.unexpected.isEmpty, "cycle \(cycle): failures before the kill: \(result.unexpected.prefix(5))")
            #expect(result.acknowledged.count >= 300)
            #expect(Set(result.acknowledged).count == result.acknowledged.count)
            #expect(result.cutOff > 0, "cycle \(cycle): no request was in flight at the kill")
            acknowledged.formUnion(result.acknowledged)
            print("kill -9 cycle \(cycle): \(result.acknowledged.count) acknowledged, \(result.cutOff) requests cut off, "
                + "\(acknowledged.count) acknowledged so far")

            // The directory as the kill left it: a torn tail is only a warning.
            let check = try harness.cli(["check", "--data-dir", harness.dataDir])
            #expect(check.status == 0, "cycle \(cycle): check after kill -9 failed: \(check)")

            run.server = try harness.startServer()
            try Self.expectAllPresentOnce(acknowledged: acknowledged, port: run.server.port, token: run.token)
            let checkWhileServing = try harness.cli(["check", "--data-dir", harness.dataDir])
            #expect(checkWhileServing.status == 0, "cycle \(cycle): check after restart failed: \(checkWhileServing)")
        }
        run.server.stop()
        #expect(acknowledged.count >= 900)
    }

    /// The check above is not vacuous: with three acknowledged orders cut from the journal (what a
    /// server that answered before writing would lose in a crash), it reports them missing.
    @Test func theCheckNoticesLostAcknowledgedOrders() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var run = try Self.startMerchant(harness)
        let storm = OrderStorm(port: run.server.port, userID: run.userID, secret: Self.secret,
                               firstID: 6_400_000_000_000_000_001, triggerAfter: 40)
        let result = await storm.run(workers: 4, trigger: nil)
        #expect(result.unexpected.isEmpty)
        run.server.stop()

        let tenantDir = harness.dataDir + "/\(run.userID)"
        let journal = try #require(try FileManager.default.contentsOfDirectory(atPath: tenantDir)
            .filter { $0.hasPrefix("journal-") && $0.hasSuffix(".jsonl") }.max())
        let path = tenantDir + "/" + journal
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true)
        lines.removeLast(3)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)

        run.server = try harness.startServer()
        withKnownIssue("three acknowledged orders were cut from the journal") {
            try Self.expectAllPresentOnce(acknowledged: Set(result.acknowledged), port: run.server.port, token: run.token)
        }
        run.server.stop()
    }

    /// SIGTERM under load: the server stops accepting, finishes what is in flight, flushes its
    /// journals and exits 0 promptly; every acknowledged order is there after a restart.
    @Test func sigtermUnderLoadExitsZeroAndKeepsEveryAcknowledgedOrder() async throws {
        let harness = try SystemHarness()
        defer { harness.cleanup() }
        var run = try Self.startMerchant(harness)
        let server = run.server
        let signalled = Atomic<UInt64>(0)
        let storm = OrderStorm(port: server.port, userID: run.userID, secret: Self.secret,
                               firstID: 6_200_000_000_000_000_001, triggerAfter: 200)
        let result = await storm.run(workers: 16) {
            signalled.store(UInt64(DispatchTime.now().uptimeNanoseconds), ordering: .relaxed)
            server.kill(SIGTERM)
        }
        #expect(result.triggered)
        #expect(result.unexpected.isEmpty, "failures before SIGTERM: \(result.unexpected.prefix(5))")
        let exited = server.waitForExit(timeout: .seconds(30))
        let took = Double(DispatchTime.now().uptimeNanoseconds - signalled.load(ordering: .relaxed)) / 1e9
        #expect(exited, "serve did not exit within 30 s of SIGTERM")
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0,
                "serve ended with \(server.process.terminationReason) \(server.process.terminationStatus):\n\(server.log.suffix(1500))")
        #expect(took < 10, "serve took \(took) s to stop after SIGTERM")
        #expect(server.log.contains("journals flushed and closed"))

        let check = try harness.cli(["check", "--data-dir", harness.dataDir])
        #expect(check.status == 0, "check after SIGTERM: \(check)")
        #expect(!check.stdout.contains("warning"), "a graceful stop leaves no torn tail: \(check.stdout)")
        run.server = try harness.startServer()
        try Self.expectAllPresentOnce(acknowledged: Set(result.acknowledged), port: run.server.port, token: run.token)
        run.server.stop()
    }
}
