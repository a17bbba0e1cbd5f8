@testable import ApplianceBackup
@testable import ApplianceDomain
import ApplianceStorage
import Foundation
import Testing

/// `restore` through the real binary: what it refuses (exit 1, one line on stderr, nothing
/// left behind) and that a restored directory passes `check`.
@Suite struct RestoreTests {
    /// A data directory with two tenants, orders, snapshots and journal segments, and a backup of it.
    static func makeBackup(in tmp: TempDirectory) async throws -> (data: String, backup: String, tenant: Int) {
        let fixture = try await DataFixture.open(tmp.sub("data"))
        let first = try await fixture.addTenant("first@example.com")
        let second = try await fixture.addTenant("second@example.com")
        var id: UInt64 = 7_400_000_000_000_000_001
        for round in 0..<3 {
            for _ in 0..<30 {
                try await DataFixture.addOrder(first, id: id)
                try await DataFixture.addOrder(second, id: id + 500_000)
                id += 1
            }
            if round < 2 { try await first.startCompaction()?.value }
        }
        await fixture.close()
        let backup = tmp.sub("backup.tar.gz")
        let made = try Binary.cli(["backup", "--data-dir", fixture.root, "--out", backup])
        #expect(made.status == 0, "\(made)")
        return (fixture.root, backup, first.id)
    }

    static func expectRefusal(_ result: ToolResult, mentioning words: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderrLines.count == 1, "one line on stderr: \(result.stderr)", sourceLocation: sourceLocation)
        for word in words {
            #expect(result.stderr.contains(word), "stderr should mention \(word): \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    @Test func restoresIntoAnAbsentOrEmptyDirectoryThatPassesCheckAndServes() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let (data, backup, tenant) = try await Self.makeBackup(in: tmp)

        let absent = tmp.sub("absent/deeper/data")
        let restored = try Binary.cli(["restore", backup, "--data-dir", absent])
        #expect(restored.status == 0, "\(restored)")
        #expect(restored.stdout.contains("2 tenant(s), 180 order(s)"), "\(restored.stdout)")
        let empty = tmp.sub("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        #expect(try Binary.cli(["restore", backup, "--data-dir", empty]).status == 0)

        for target in [absent, empty] {
            // Same files and bytes as the source (minus the lock), 0700 / 0600.
            let source = tree(data).filter { $0 != ".lock" }
            #expect(tree(target).filter { $0 != ".lock" } == source)
            for rel in source {
                let path = target + "/" + rel
                #expect(permissions(path) == (rel.hasSuffix("/") ? 0o700 : 0o600), "\(rel)")
                if !rel.hasSuffix("/") { #expect(try readBytes(path) == readBytes(data + "/" + rel), "\(rel)") }
            }
            #expect(permissions(target) == 0o700)
            let check = try Binary.cli(["check", "--data-dir", target])
            #expect(check.status == 0, "\(check)")
            #expect(try DataFixture.orderIDs(in: target, tenant: tenant) == DataFixture.orderIDs(in: data, tenant: tenant))
        }
        // serve starts on it, and the restored account logs in with the same signing key.
        let server = try Server.start(dataDir: absent, scratch: tmp.path)
        defer { server.stop() }
        let health = try HTTPConnection(port: server.port).send("GET", "/healthz")
        #expect(health.status == 200)
        server.stop()
        #expect(try Binary.cli(["check", "--data-dir", absent]).status == 0)
    }

    @Test func refusesANonEmptyDirectory() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let (_, backup, _) = try await Self.makeBackup(in: tmp)
        let target = tmp.sub("busy")
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try writeBytes(Array("keep me".utf8), to: target + "/notes.txt")
        Self.expectRefusal(try Binary.cli(["restore", backup, "--data-dir", target]), mentioning: ["not empty"])
        #expect(tree(target) == ["notes.txt"])
        #expect(try readBytes(target + "/notes.txt") == Array("keep me".utf8))
        // A file where the directory should be.
        Self.expectRefusal(try Binary.cli(["restore", backup, "--data-dir", target + "/notes.txt"]), mentioning: ["not a directory"])
        // A missing archive.
        Self.expectRefusal(try Binary.cli(["restore", tmp.sub("nope.tar.gz"), "--data-dir", tmp.sub("fresh")]), mentioning: ["nope.tar.gz"])
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("fresh")))
    }

    @Test func refusesTheDirectoryOfARunningServe() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let (data, backup, _) = try await Self.makeBackup(in: tmp)
        let server = try Server.start(dataDir: data, scratch: tmp.path)
        defer { server.stop() }
        let before = tree(data)
        Self.expectRefusal(try Binary.cli(["restore", backup, "--data-dir", data]), mentioning: ["serve"])
        #expect(tree(data) == before)
        // backup and check work beside it.
        let again = try Binary.cli(["backup", "--data-dir", data, "--out", tmp.sub("while-serving.tar.gz")])
        #expect(again.status == 0, "\(again)")
        server.stop()
    }

    @Test func rejectsATamperedArchiveAndLeavesNothing() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let (_, backup, tenant) = try await Self.makeBackup(in: tmp)
        let archive = try ArchiveEditor(path: backup)

        // 1. A byte flipped inside a journal record, in a valid gzip: the record's CRC fails.
        var journal = archive
        let segment = try #require(journal.index { $0.hasPrefix("data/\(tenant)/journal-") && $0.hasSuffix(".jsonl") && true })
        let largest = journal.entries.indices.filter { journal.entries[$0].header.name.hasSuffix(".jsonl") }
            .max { journal.entries[$0].bytes.count < journal.entries[$1].bytes.count } ?? segment
        let damagedTenant = journal.entries[largest].header.name.split(separator: "/")[1]
        // Inside the `rec` of a record in the middle (20 bytes before its line ends).
        let bytes = journal.entries[largest].bytes
        let lineEnd = try #require(bytes[(bytes.count / 2)...].firstIndex(of: 0x0A))
        journal.entries[largest].bytes[lineEnd - 20] ^= 0x01
        try journal.write(to: tmp.sub("journal.tar.gz"))
        #expect(try Tool.run("gzip", ["-t", tmp.sub("journal.tar.gz")]).status == 0, "the gzip layer itself is valid")

        // 2. A byte flipped in a snapshot.
        var snapshot = archive
        let snap = try #require(snapshot.index { $0.contains("/snapshot-") })
        snapshot.entries[snap].bytes[snapshot.entries[snap].bytes.count / 2] ^= 0x40
        try snapshot.write(to: tmp.sub("snapshot.tar.gz"))

        // 3. A byte flipped in the compressed stream: gzip's own CRC (or deflate) fails.
        var compressed = try readBytes(backup)
        compressed[compressed.count / 2] ^= 0x01
        try writeBytes(compressed, to: tmp.sub("compressed.tar.gz"))

        // 4. Cut short.
        try writeBytes(Array(try readBytes(backup).dropLast(200)), to: tmp.sub("cut.tar.gz"))

        // 5. A signing key that is too short.
        var key = archive
        let keyIndex = try #require(key.index { $0 == "data/jwt.key" })
        key.entries[keyIndex].bytes = [1, 2, 3]
        key.entries[keyIndex].header.size = 3
        try key.write(to: tmp.sub("key.tar.gz"))

        let cases: [(String, [String])] = [
            ("journal.tar.gz", ["does not verify", "tenant \(damagedTenant)", "checksum mismatch"]),
            ("snapshot.tar.gz", ["snapshot"]),
            ("compressed.tar.gz", ["damaged"]),
            ("cut.tar.gz", ["damaged"]),
            ("key.tar.gz", ["jwt.key"]),
        ]
        for (name, words) in cases {
            let absent = tmp.sub("target-\(name)")
            Self.expectRefusal(try Binary.cli(["restore", tmp.sub(name), "--data-dir", absent]), mentioning: words)
            #expect(!FileManager.default.fileExists(atPath: absent), "\(name): the target should be removed again")
            let empty = tmp.sub("empty-\(name)")
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
            Self.expectRefusal(try Binary.cli(["restore", tmp.sub(name), "--data-dir", empty]), mentioning: words)
            #expect(tree(empty).isEmpty, "\(name): an empty target stays empty: \(tree(empty))")
        }
    }

    @Test func rejectsPathTraversalAndLinks() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        func archive(_ name: String, _ blocks: [[UInt8]]) throws -> String {
            let path = tmp.sub(name)
            let file = try OutputFile(path: path, exclusive: true)
            let gzip = try GzipWriter(sink: file)
            var tar = TarWriter(sink: gzip)
            try tar.appendDirectory("data", mtime: 0)
            try tar.appendFile("data/format.json", contents: Array(#"{"format":1}"#.utf8), mtime: 0)
            for block in blocks { try gzip.write(block) }
            try tar.finish()
            try gzip.finish()
            file.close()
            return path
        }
        let payload = [UInt8](repeating: 0x41, count: 512)
        let cases: [(String, [[UInt8]], String)] = [
            ("dotdot.tar.gz", [ArchiveEditor.rawHeader(name: "data/../escaped", type: UInt8(ascii: "0"), size: 512), payload], ".."),
            ("absolute.tar.gz", [ArchiveEditor.rawHeader(name: tmp.sub("escaped-abs"), type: UInt8(ascii: "0"), size: 512), payload], "absolute"),
            ("symlink.tar.gz", [ArchiveEditor.rawHeader(name: "data/link", type: UInt8(ascii: "2"), linkName: "/etc")], "entry type"),
            ("hardlink.tar.gz", [ArchiveEditor.rawHeader(name: "data/hard", type: UInt8(ascii: "1"), linkName: "data/format.json")], "entry type"),
            ("fifo.tar.gz", [ArchiveEditor.rawHeader(name: "data/fifo", type: UInt8(ascii: "6"))], "entry type"),
            ("outside.tar.gz", [ArchiveEditor.rawHeader(name: "etc/passwd", type: UInt8(ascii: "0"), size: 512), payload], "outside data/"),
        ]
        for (name, blocks, word) in cases {
            let path = try archive(name, blocks)
            let target = tmp.sub("t-\(name)")
            Self.expectRefusal(try Binary.cli(["restore", path, "--data-dir", target]), mentioning: [word])
            #expect(!FileManager.default.fileExists(atPath: target), "\(name)")
        }
        #expect(!FileManager.default.fileExists(atPath: tmp.path + "/escaped"))
        #expect(!FileManager.default.fileExists(atPath: tmp.sub("escaped-abs")))
    }

    /// `check` on damaged copies of a restored directory: damage in the middle of a journal is an
    /// error (exit 1); a torn last record a warning (exit 0); a damaged snapshot falls back.
    @Test func checkReportsDamageInRestoredCopies() async throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let (_, backup, tenant) = try await Self.makeBackup(in: tmp)
        func restoredCopy(_ name: String) throws -> (dir: String, journal: String, snapshot: String?) {
            let dir = tmp.sub(name)
            let result = try Binary.cli(["restore", backup, "--data-dir", dir])
            guard result.status == 0 else { throw HarnessError("restore failed: \(result)") }
            let folder = dir + "/\(tenant)"
            let names = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
            let segments = names.filter { $0.hasSuffix(".jsonl") }
            return (dir, folder + "/" + segments.last!, names.last { $0.hasPrefix("snapshot-") }.map { folder + "/" + $0 })
        }

        let flipped = try restoredCopy("flipped")
        var bytes = try readBytes(flipped.journal)
        let firstRecord = bytes.firstIndex(of: 0x0A)! + 1
        bytes[firstRecord + 40] ^= 0x01
        try writeBytes(bytes, to: flipped.journal)
        let damaged = try Binary.cli(["check", "--data-dir", flipped.dir])
        #expect(damaged.status == 1, "\(damaged)")
        #expect(damaged.stdout.contains("ERROR   tenant \(tenant)"), "\(damaged.stdout)")

        let torn = try restoredCopy("torn")
        let whole = try readBytes(torn.journal)
        try writeBytes(Array(whole.dropLast(25)), to: torn.journal)
        let warned = try Binary.cli(["check", "--data-dir", torn.dir])
        #expect(warned.status == 0, "\(warned)")
        #expect(warned.stdout.contains("warning tenant \(tenant): torn last record"), "\(warned.stdout)")

        let snapshot = try restoredCopy("snapshot")
        let snapPath = try #require(snapshot.snapshot)
        var snap = try readBytes(snapPath)
        snap[snap.count / 2] ^= 0x10
        try writeBytes(snap, to: snapPath)
        let fellBack = try Binary.cli(["check", "--data-dir", snapshot.dir])
        #expect(fellBack.stdout.contains("does not verify"), "\(fellBack)")
    }
}
