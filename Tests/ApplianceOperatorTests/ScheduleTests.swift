@testable import ApplianceBackup
@testable import ApplianceDomain
import Foundation
import Logging
import Synchronization
import Testing

/// Scheduled backups driven by ``ManualClock``: names, interval, retention, the first due
/// time after a restart, and the `serve` flags.
@Suite struct ScheduleTests {
    /// 2025-06-15 08:00:00 UTC.
    static let start: Int64 = 1_749_974_400_000
    static let day: Int64 = 86_400_000

    /// Collects a schedule's events and lets a test wait for the next one.
    final class Events: Sendable {
        let stream: AsyncStream<BackupSchedule.Event>
        let continuation: AsyncStream<BackupSchedule.Event>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream() }
        func record(_ event: BackupSchedule.Event) { continuation.yield(event) }
    }

    static func makeData(_ tmp: TempDirectory) async throws -> String {
        let fixture = try await DataFixture.open(tmp.sub("data"))
        let tenant = try await fixture.addTenant("scheduled@example.com")
        try await DataFixture.addOrder(tenant, id: 7_600_000_000_000_000_001)
        await fixture.close()
        return fixture.root
    }

    static var logger: Logger {
        var logger = Logger(label: "schedule-test")
        logger.logLevel = .critical
        return logger
    }

    @Test func makesABackupEveryIntervalAndKeepsTheNewest() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = try await Self.makeData(tmp)
        let folder = tmp.sub("backups")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        // Not ours: never touched. A temp file of a crashed backup: removed.
        try writeBytes(Array("keep".utf8), to: folder + "/notes.txt")
        try writeBytes([1], to: folder + "/backup-20250101-000000.tar.gz.tmp")

        let clock = ManualClock(now: Self.start)
        let events = Events()
        let schedule = try BackupSchedule(maker: BackupMaker(dataRoot: data), interval: Self.day, directory: folder, keep: 3,
                                          clock: clock, logger: Self.logger, onEvent: events.record)
        let running = Task { try await schedule.run() }
        var iterator = events.stream.makeAsyncIterator()

        var made: [String] = []
        for round in 0..<5 {
            let due = Self.start + Int64(round + 1) * Self.day
            #expect(await iterator.next() == .scheduled(dueAt: due))
            clock.advance(by: Self.day)
            guard case .made(let summary) = await iterator.next() else { Issue.record("no backup in round \(round)"); break }
            #expect(summary.tenants == 1)
            made.append((summary.path as NSString).lastPathComponent)
            if round >= 3 {
                #expect(await iterator.next() == .pruned([made[round - 3]]))
            }
        }
        #expect(made == ["backup-20250616-080000.tar.gz", "backup-20250617-080000.tar.gz", "backup-20250618-080000.tar.gz",
                         "backup-20250619-080000.tar.gz", "backup-20250620-080000.tar.gz"])
        #expect(await iterator.next() == .scheduled(dueAt: Self.start + 6 * Self.day))
        running.cancel()
        _ = try? await running.value

        #expect(tree(folder) == Array(made.suffix(3)) + ["notes.txt"])
        for name in made.suffix(3) {
            #expect(permissions(folder + "/" + name) == 0o600)
            let restored = tmp.sub("restore-\(name)")
            #expect(try BackupRestorer(archivePath: folder + "/" + name, dataRoot: restored).restore().orders == 1)
        }
    }

    @Test func theFirstBackupFollowsTheNewestOneAlreadyThere() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = try await Self.makeData(tmp)
        let folder = tmp.sub("backups")
        let clock = ManualClock(now: Self.start)
        func firstDue(existing: [Int64]) throws -> Int64 {
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            for made in existing { try writeBytes([0], to: folder + "/" + BackupName.make(at: made)) }
            return try BackupSchedule(maker: BackupMaker(dataRoot: data), interval: Self.day, directory: folder, keep: 2,
                                      clock: clock, logger: Self.logger).firstDue()
        }
        #expect(try firstDue(existing: []) == Self.start + Self.day)
        #expect(try firstDue(existing: [Self.start - 3_600_000]) == Self.start - 3_600_000 + Self.day)
        #expect(try firstDue(existing: [Self.start - 9 * Self.day, Self.start - 2 * Self.day]) == Self.start)

        // Overdue at start: made at once, next one a whole interval later.
        let events = Events()
        let schedule = try BackupSchedule(maker: BackupMaker(dataRoot: data), interval: Self.day, directory: folder, keep: 2,
                                          clock: clock, logger: Self.logger, onEvent: events.record)
        let running = Task { try await schedule.run() }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.next() == .scheduled(dueAt: Self.start))
        guard case .made = await iterator.next() else { Issue.record("expected a backup at once"); return }
        #expect(await iterator.next() == .pruned([BackupName.make(at: Self.start - 9 * Self.day)]))
        #expect(await iterator.next() == .scheduled(dueAt: Self.start + Self.day))
        running.cancel()
        _ = try? await running.value
    }

    @Test func aFailedBackupIsRetriedAtTheNextInterval() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = tmp.sub("not-yet")
        let clock = ManualClock(now: Self.start)
        let events = Events()
        let schedule = try BackupSchedule(maker: BackupMaker(dataRoot: data), interval: 3_600_000, directory: tmp.sub("b"), keep: 2,
                                          clock: clock, logger: Self.logger, onEvent: events.record)
        let running = Task { try await schedule.run() }
        var iterator = events.stream.makeAsyncIterator()
        #expect(await iterator.next() == .scheduled(dueAt: Self.start + 3_600_000))
        clock.advance(by: 3_600_000)
        guard case .failed(let why) = await iterator.next() else { Issue.record("expected a failure"); return }
        #expect(why.contains("not a data directory"))
        #expect(await iterator.next() == .scheduled(dueAt: Self.start + 7_200_000))
        try DataDirectory(root: data).initialize()
        clock.advance(by: 3_600_000)
        guard case .made = await iterator.next() else { Issue.record("expected a backup"); return }
        running.cancel()
        _ = try? await running.value
        #expect(tree(tmp.sub("b")).count == 1)
    }

    @Test func intervalsAndNames() throws {
        #expect(try BackupInterval.parse("24h") == Self.day)
        #expect(try BackupInterval.parse("1h30m") == 5_400_000)
        #expect(try BackupInterval.parse("7d") == 7 * Self.day)
        #expect(try BackupInterval.parse("90") == 90_000)
        #expect(try BackupInterval.parse("45s") == 45_000)
        for bad in ["", "0", "0h", "h", "24x", "-1h", "1.5h", "24h5"] {
            #expect(throws: BackupError.self, "\(bad)") { try BackupInterval.parse(bad) }
        }
        #expect(BackupName.make(at: Self.start) == "backup-20250615-080000.tar.gz")
        #expect(BackupName.parse("backup-20250615-080000.tar.gz") == Self.start)
        #expect(BackupName.parse("backup-20251332-080000.tar.gz") == nil)
        #expect(BackupName.parse("backup-20250615-080000.tar.gz.tmp") == nil)
        #expect(BackupName.parse("notes.txt") == nil)
        #expect(throws: BackupError.self) {
            try BackupSchedule(maker: BackupMaker(dataRoot: "/x"), interval: Self.day, directory: "/y", keep: 0, logger: Self.logger)
        }
    }

    /// `serve --backup-every` wiring (flags and environment) on the real binary: a short real
    /// interval, waited for by polling with a bound.
    @Test func serveMakesScheduledBackups() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = tmp.sub("data")
        _ = try Binary.initWithUser(dataDir: data, email: "wired@example.com", password: "a long password")
        let folder = tmp.sub("backups")
        let server = try Server.start(dataDir: data, scratch: tmp.path, extraArguments: ["--backup-every", "1s", "--backup-keep", "2"],
                                      environment: ["BACKUP_DIR": folder])
        defer { server.stop() }
        let deadline = ContinuousClock.now + .seconds(60)
        while server.log.components(separatedBy: "backup written").count - 1 < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        server.stop()
        let names = tree(folder)
        #expect(names.count == 2 && names.allSatisfy { BackupName.parse($0) != nil }, "\(names)\n\(server.log.suffix(2000))")
        #expect(permissions(folder) == 0o700)
        let restored = try Binary.cli(["restore", folder + "/" + names.last!, "--data-dir", tmp.sub("r")])
        #expect(restored.status == 0, "\(restored)")

        // A bad interval is refused before the server starts.
        let refused = try Binary.cli(["serve", "--data-dir", data, "--port", "0", "--backup-every", "soon"])
        #expect(refused.status == 1 && refused.stderrLines.count == 1 && refused.stderr.contains("soon"), "\(refused)")
    }
}
