import ApplianceDomain
import Foundation
import Testing

/// `--with-chrome`: browser profiles go under `chrome_data/` without caches, links or sockets,
/// and come back only with `restore --with-chrome`.
@Suite struct ChromeBackupTests {
    @Test func profilesAreBackedUpWithoutCachesAndRestoredOnRequest() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let fixture = try await DataFixture.open(tmp.sub("data"))
        let tenant = try await fixture.addTenant("chrome@example.com")
        try await DataFixture.addOrder(tenant, id: 7_700_000_000_000_000_001)
        await fixture.close()

        let chrome = tmp.sub("chrome_data")
        let profile = chrome + "/\(tenant.id)/Default"
        let fm = FileManager.default
        for folder in ["Local Storage/leveldb", "IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb", "Cache/Cache_Data", "Code Cache/js"] {
            try fm.createDirectory(atPath: profile + "/" + folder, withIntermediateDirectories: true)
        }
        try writeBytes(Array("session".utf8), to: profile + "/Local Storage/leveldb/000003.log")
        try writeBytes(Array("keys".utf8), to: profile + "/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb/CURRENT")
        try writeBytes([UInt8](repeating: 1, count: 4096), to: profile + "/Cache/Cache_Data/data_0")
        try writeBytes([2], to: profile + "/Code Cache/js/index")
        try fm.createSymbolicLink(atPath: chrome + "/\(tenant.id)/SingletonLock", withDestinationPath: "host-1234")

        let backup = tmp.sub("with-chrome.tar.gz")
        let made = try Binary.cli(["backup", "--data-dir", fixture.root, "--out", backup, "--with-chrome", "--chrome-data-dir", chrome])
        #expect(made.status == 0, "\(made)")
        #expect(made.stdout.contains("(2 browser-profile file(s))"), "\(made.stdout)")
        let names = try Tool.run("tar", ["-tzf", backup]).stdout.split(separator: "\n").map(String.init)
        #expect(names.contains("chrome_data/\(tenant.id)/Default/Local Storage/leveldb/000003.log"))
        #expect(!names.contains { $0.contains("Cache") || $0.contains("SingletonLock") }, "\(names)")

        // Without --with-chrome the profiles are left out of the restore (and said so).
        let dataOnly = try Binary.cli(["restore", backup, "--data-dir", tmp.sub("r1")])
        #expect(dataOnly.status == 0, "\(dataOnly)")
        #expect(dataOnly.stdout.contains("2 browser-profile file(s) in the backup were not restored"), "\(dataOnly.stdout)")

        let both = try Binary.cli(["restore", backup, "--data-dir", tmp.sub("r2"), "--with-chrome", "--chrome-data-dir", tmp.sub("c2")])
        #expect(both.status == 0, "\(both)")
        #expect(try readBytes(tmp.sub("c2/\(tenant.id)/Default/Local Storage/leveldb/000003.log")) == Array("session".utf8))
        #expect(permissions(tmp.sub("c2/\(tenant.id)/Default")) == 0o700)

        // A non-empty profiles folder is refused like a non-empty data directory, and nothing is written.
        let refused = try Binary.cli(["restore", backup, "--data-dir", tmp.sub("r3"), "--with-chrome", "--chrome-data-dir", chrome])
        #expect(refused.status == 1 && refused.stderrLines.count == 1 && refused.stderr.contains("not empty"), "\(refused)")
        #expect(!fm.fileExists(atPath: tmp.sub("r3")))
    }
}
