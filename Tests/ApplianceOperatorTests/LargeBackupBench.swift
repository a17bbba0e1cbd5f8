import ApplianceBackup
import ApplianceDomain
import ApplianceStorage
import Foundation
import Testing

/// A measurement, not a check: builds a large data directory through the real tenant code and
/// times a backup and a restore of it. Runs only when `OPERATOR_BENCH_DIR` names a folder that
/// does not exist yet (it is kept, so the release binary can be timed on it afterwards):
///
///     OPERATOR_BENCH_DIR=/tmp/bench OPERATOR_BENCH_TENANTS=1000 OPERATOR_BENCH_ORDERS=1000 \
///       swift test --skip-build --filter LargeBackupBench
///     time .build/release/shopify-whatsapp backup --data-dir /tmp/bench/data --out /tmp/bench/b.tar.gz
@Suite struct LargeBackupBench {
    static let environment = ProcessInfo.processInfo.environment
    static let folder = environment["OPERATOR_BENCH_DIR"]

    @Test(.enabled(if: folder != nil, "a measurement: set OPERATOR_BENCH_DIR to run it")) func backupAndRestoreOfALargeDataDirectory() async throws {
        let folder = try #require(Self.folder)
        let tenants = Int(Self.environment["OPERATOR_BENCH_TENANTS"] ?? "") ?? 1000
        let perTenant = Int(Self.environment["OPERATOR_BENCH_ORDERS"] ?? "") ?? 1000
        #expect(!FileManager.default.fileExists(atPath: folder + "/data"), "\(folder)/data exists already")
        let fixture = try await DataFixture.open(folder + "/data")
        let template = try ShopifyOrderMapper().map(body: ShopifyClient.orderBody(id: 1, number: 1001), shopDomain: "demo-shop.myshopify.com")
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let tenant = try await fixture.addTenant("bench\(index)@example.com")
                    // Concurrent writes in chunks, so the journal syncs a chunk at a time; half the
                    // tenants get a snapshot part way, as long-running tenants have.
                    let cut = index % 2 == 0 ? perTenant * 6 / 10 + 1 : perTenant
                    for range in [0..<min(cut, perTenant), min(cut, perTenant)..<perTenant] where !range.isEmpty {
                        for chunk in stride(from: range.lowerBound, to: range.upperBound, by: 200) {
                            try await withThrowingTaskGroup(of: Void.self) { writes in
                                for n in chunk..<min(chunk + 200, range.upperBound) {
                                    var order = template
                                    order.id = 8_000_000_000_000_000_000 + UInt64(index) * 1_000_000 + UInt64(n)
                                    order.number = "#\(1000 + n)"
                                    writes.addTask { try await tenant.apply(order: order, topic: .ordersCreate, webhookID: "b-\(index)-\(n)") }
                                }
                                try await writes.waitForAll()
                            }
                        }
                        if range.upperBound == cut { try await tenant.startCompaction()?.value }
                    }
                }
            }
            for _ in 0..<8 where next < tenants { add() }
            while try await group.next() != nil { if next < tenants { add() } }
        }
        await fixture.close()
        print("bench: \(tenants) tenants x \(perTenant) orders written in \(ContinuousClock.now - started)")

        let out = folder + "/backup.tar.gz"
        let summary = try BackupMaker(dataRoot: fixture.root).write(to: out)
        print("bench: backup (in process, debug build): \(summary.files) files, \(summary.contentBytes) bytes -> \(summary.archiveBytes) bytes in \(summary.seconds) s")
        let restored = try BackupRestorer(archivePath: out, dataRoot: folder + "/restored").restore()
        print("bench: restore with verification (debug build): \(restored.orders) orders in \(restored.seconds) s")
        #expect(restored.orders == tenants * perTenant)
    }
}
