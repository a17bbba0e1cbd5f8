import ApplianceDomain
import Foundation
import Synchronization
import Testing

/// The real binary: `backup` while signed webhooks keep arriving, then `restore` and compare.
@Suite struct BackupUnderLoadTests {
    static let email = "loaded@example.com"
    static let password = "a long password"
    static let secret = "shpss_backup_under_load"

    @Test func backupWhileWebhooksArriveRestoresEveryAcknowledgedOrder() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let data = tmp.sub("data")
        let userID = try Binary.initWithUser(dataDir: data, email: Self.email, password: Self.password)
        let server = try Server.start(dataDir: data, scratch: tmp.path)
        defer { server.stop() }
        let token = try ShopifyClient.login(port: server.port, email: Self.email, password: Self.password)
        try ShopifyClient.setSecret(port: server.port, token: token, secret: Self.secret)

        let load = WebhookLoad(port: server.port, userID: userID, secret: Self.secret, firstID: 7_500_000_000_000_000_001)
        load.start(workers: 4)
        defer { load.stop() }
        try load.waitForAcknowledged(1500)

        // Three backups one after another while the load goes on. Each must hold everything
        // acknowledged before it began; serve must keep acknowledging while they run.
        var rounds: [(path: String, before: Set<UInt64>, after: Int)] = []
        for round in 0..<3 {
            let before = Set(load.acknowledged)
            let path = tmp.sub("live-\(round).tar.gz")
            let backup = try Binary.cli(["backup", "--data-dir", data, "--out", path])
            #expect(backup.status == 0, "\(backup)")
            let after = load.acknowledged.count
            print("backup under load, round \(round): \(backup.stdout.trimmingCharacters(in: .whitespacesAndNewlines)); "
                  + "\(after - before.count) deliveries acknowledged while it ran")
            rounds.append((path, before, after))
            try load.waitForAcknowledged(after + 200)
        }
        load.stop()
        #expect(load.failures.isEmpty, "\(load.failures.prefix(3))")
        #expect(load.acknowledged.count > rounds.last!.after, "serve kept acknowledging after the backups")

        for (round, taken) in rounds.enumerated() {
            // The system's gzip and tar accept it.
            #expect(try Tool.run("gzip", ["-t", taken.path]).status == 0)
            let listing = try Tool.run("tar", ["-tzf", taken.path])
            #expect(listing.status == 0 && listing.stdout.contains("data/\(userID)/journal-"), "\(listing)")
            let copy = tmp.sub("restored-\(round)")
            let restored = try Binary.cli(["restore", taken.path, "--data-dir", copy])
            #expect(restored.status == 0, "\(restored)")
            let ids = try DataFixture.orderIDs(in: copy, tenant: userID)
            let missing = taken.before.subtracting(ids)
            #expect(missing.isEmpty, "round \(round): \(missing.count) orders acknowledged before the backup began are missing")
            #expect(ids.count <= taken.after + 4, "round \(round): at most the deliveries in flight when the copy ended")
        }
        let acknowledgedBefore = rounds.last!.before
        let acknowledgedAfter = rounds.last!.after
        let backupPath = rounds.last!.path

        // Restore, check, and serve the copy beside the original.
        let copy = tmp.sub("restored")
        let restored = try Binary.cli(["restore", backupPath, "--data-dir", copy])
        #expect(restored.status == 0, "\(restored)")
        #expect(restored.stdout.contains("all checksums verified"))
        let check = try Binary.cli(["check", "--data-dir", copy])
        #expect(check.status == 0, "\(check)")

        let copyServer = try Server.start(dataDir: copy, scratch: tmp.path)
        defer { copyServer.stop() }
        let copyToken = try ShopifyClient.login(port: copyServer.port, email: Self.email, password: Self.password)
        let restoredIDs = Set(try ShopifyClient.listOrderIDs(port: copyServer.port, token: copyToken).compactMap(UInt64.init))
        let missing = acknowledgedBefore.subtracting(restoredIDs)
        #expect(missing.isEmpty, "\(missing.count) orders acknowledged before the backup began are missing from it")
        // Nothing in the copy that was never sent, and nothing after the backup finished.
        let sent = Set(load.acknowledged)
        #expect(restoredIDs.allSatisfy { $0 >= 7_500_000_000_000_000_001 && $0 < load.nextID.load(ordering: .relaxed) })
        #expect(restoredIDs.count <= acknowledgedAfter + 4, "at most the deliveries in flight when the copy ended")
        // The original keeps every acknowledged order too.
        let originalIDs = Set(try ShopifyClient.listOrderIDs(port: server.port, token: token).compactMap(UInt64.init))
        #expect(sent.isSubset(of: originalIDs))
        copyServer.stop()
        server.stop()
    }
}
