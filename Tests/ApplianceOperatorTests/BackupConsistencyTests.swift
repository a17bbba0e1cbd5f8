@testable import ApplianceBackup
@testable import ApplianceDomain
import ApplianceStorage
import Foundation
import Synchronization
import Testing

/// Backups taken while a tenant keeps writing and compacting (in process, through the real
/// tenant code): every backup restores, verifies, and holds every order acknowledged before it
/// began, also when a compaction removed files between listing and reading.
@Suite struct BackupConsistencyTests {
    /// State shared between the test, its writers and the backup thread.
    final class Shared: Sendable {
        let acknowledged = Mutex<[Int: Set<UInt64>]>([:])
        let stop = Atomic(false)
        let listings = Atomic(0)
    }

    /// A compaction that removes the listed files right after the listing: the folder is listed
    /// again and the backup is still complete and consistent.
    @Test func aCompactionBetweenListingAndReadingIsHandled() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let fixture = try await DataFixture.open(tmp.sub("data"))
        let tenant = try await fixture.addTenant("relist@example.com")
        var nextID: UInt64 = 7_100_000_000_000_000_001
        // Two compactions so that a third one deletes files (segments and the oldest snapshot).
        for _ in 0..<2 {
            for _ in 0..<20 { try await DataFixture.addOrder(tenant, id: nextID); nextID += 1 }
            try await tenant.startCompaction()?.value
        }
        for _ in 0..<20 { try await DataFixture.addOrder(tenant, id: nextID); nextID += 1 }
        let before = try FileManager.default.contentsOfDirectory(atPath: tenant.directory).sorted()

        let shared = Shared()
        var maker = BackupMaker(dataRoot: fixture.root)
        maker.afterListing = { _ in
            guard shared.listings.add(1, ordering: .relaxed).oldValue == 0 else { return }
            // Compact now, on another thread, and wait for it (this hook runs on the backup's thread).
            let done = DispatchSemaphore(value: 0)
            Task {
                try? await tenant.startCompaction()?.value
                done.signal()
            }
            done.wait()
        }
        let out = tmp.sub("b.tar.gz")
        let hooked = maker
        let summary = try await BlockingWork.run { _ in try hooked.write(to: out) }
        let after = try FileManager.default.contentsOfDirectory(atPath: tenant.directory).sorted()
        #expect(Set(before).subtracting(after).isEmpty == false, "the compaction should have removed listed files: \(before) -> \(after)")
        #expect(summary.relists >= 1)
        #expect(summary.tenants == 1)

        let restored = tmp.sub("restored")
        let result = try BackupRestorer(archivePath: out, dataRoot: restored).restore()
        #expect(result.orders == 60)
        #expect(try DataFixture.orderIDs(in: restored, tenant: tenant.id) == Set((7_100_000_000_000_000_001 as UInt64)..<nextID))
        await fixture.close()
    }

    /// Writers and compactions race with repeated backups; each backup restores and holds at
    /// least what was acknowledged when it started.
    @Test func backupsTakenDuringWritesAndCompactionsAreConsistent() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let fixture = try await DataFixture.open(tmp.sub("data"), compactAfterRecords: 40)
        let tenants = [try await fixture.addTenant("one@example.com"), try await fixture.addTenant("two@example.com")]
        let shared = Shared()
        let writers = tenants.enumerated().map { index, tenant in
            Task {
                var id = UInt64(7_200_000_000_000_000_000) + UInt64(index) * 1_000_000
                while !shared.stop.load(ordering: .relaxed) {
                    id += 1
                    try await DataFixture.addOrder(tenant, id: id)
                    let acknowledged = id
                    shared.acknowledged.withLock { _ = $0[tenant.id, default: []].insert(acknowledged) }
                }
            }
        }
        // Let some records and compactions happen first.
        while shared.acknowledged.withLock({ $0.count < 2 || $0.values.contains { $0.count < 100 } }) {
            try await Task.sleep(for: .milliseconds(5))
        }

        var relists = 0
        for round in 0..<8 {
            let before = shared.acknowledged.withLock { $0 }
            let out = tmp.sub("b\(round).tar.gz")
            let summary = try await BlockingWork.run { _ in try BackupMaker(dataRoot: fixture.root).write(to: out) }
            relists += summary.relists
            let restored = tmp.sub("r\(round)")
            let result = try BackupRestorer(archivePath: out, dataRoot: restored).restore()
            #expect(result.tenants == 2)
            for tenant in tenants {
                let ids = try DataFixture.orderIDs(in: restored, tenant: tenant.id)
                let missing = before[tenant.id, default: []].subtracting(ids)
                #expect(missing.isEmpty, "round \(round) tenant \(tenant.id): \(missing.count) acknowledged orders missing")
            }
            let check = try Binary.cli(["check", "--data-dir", restored])
            #expect(check.status == 0, "check of restore \(round): \(check)")
        }
        shared.stop.store(true, ordering: .relaxed)
        for writer in writers { try await writer.value }
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: tenants[0].directory).filter { $0.hasPrefix("snapshot-") }
        #expect(!snapshots.isEmpty, "compactions should have run during the test")
        print("backups during writes: \(relists) relist(s) over 8 backups")
        await fixture.close()
    }

    /// A tenant folder with no record yet (an account being created) is left out; `.lock`,
    /// `*.tmp` and the backup file itself are never in the archive.
    @Test func leavesOutLockTempFilesAndEmptyTenants() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let fixture = try await DataFixture.open(tmp.sub("data"))
        let tenant = try await fixture.addTenant("a@example.com")
        try await DataFixture.addOrder(tenant, id: 7_300_000_000_000_000_001)
        await fixture.close()
        try FileManager.default.createDirectory(atPath: tmp.sub("data/99"), withIntermediateDirectories: false)
        try writeBytes([1], to: tmp.sub("data/.lock"))
        try writeBytes([2], to: tmp.sub("data/\(tenant.id)/snapshot-00000000000000000009.bin.tmp"))
        let out = tmp.sub("data/inside.tar.gz")
        let summary = try BackupMaker(dataRoot: tmp.sub("data")).write(to: out)
        #expect(summary.tenants == 1)
        #expect(summary.skipped.contains { $0.contains("/99") })
        let list = try Tool.run("tar", ["-tzf", out])
        #expect(list.status == 0)
        let names = list.stdout.split(separator: "\n").map(String.init)
        #expect(names.contains("data/jwt.key") && names.contains("data/format.json"))
        #expect(!names.contains { $0.hasSuffix(".lock") || $0.hasSuffix(".tmp") || $0.contains("inside") || $0.contains("/99") }, "\(names)")
        #expect(!FileManager.default.fileExists(atPath: out + ".tmp"))
    }

    /// Not a data directory: refused, and nothing is written.
    @Test func refusesASourceThatIsNotADataDirectory() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        #expect { _ = try BackupMaker(dataRoot: tmp.sub("nothing")).write(to: tmp.sub("b.tar.gz")) } throws: {
            ($0 as? BackupError)?.code == .notADataDirectory
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("b.tar.gz")))
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("b.tar.gz.tmp")))
    }
}
