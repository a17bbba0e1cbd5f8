import ApplianceStorage
import Testing

@Suite("PosixFileSystem")
struct PosixFileSystemTests {
    @Test("directories are created 0700 (with missing parents), files 0600")
    func permissions0700And0600() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { root in
            try fs.createDirectory(at: root + "/a/b/c")
            for dir in ["/a", "/a/b", "/a/b/c"] {
                #expect(fs.isDirectory(root + dir))
                #expect(permissions(root + dir) == 0o700, "\(dir)")
            }
            try fs.createDirectory(at: root + "/a/b/c")  // exists already: fine

            let appended = root + "/a/appended"
            let file = try fs.openForAppend(at: appended, create: true)
            try file.append(Array("abc".utf8))
            try file.sync()
            file.close()
            #expect(permissions(appended) == 0o600)

            let atomic = root + "/a/atomic"
            try fs.writeAtomically(Array("v1".utf8), to: atomic)
            try fs.writeAtomically(Array("v2".utf8), to: atomic)
            #expect(permissions(atomic) == 0o600)
            #expect(try fs.readFile(at: atomic) == Array("v2".utf8))
            #expect(try fs.contentsOfDirectory(at: root + "/a").sorted() == ["appended", "atomic", "b"])
        }
    }

    @Test("journal segments, snapshots and kept-aside tails are 0600 in a 0700 directory")
    func journalFilesArePrivate() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { root in
            let dir = root + "/tenants/t1"
            let (journal, _) = try openJournal(fs, dir)
            var entries: [Recovered.Entry] = []
            for i in 1...5 {
                let rec = makeRecord(i)
                entries.append(.init(seq: try await journal.append(rec), rec: rec))
            }
            let seq = try #require(journal.beginCompaction())
            try await journal.finishCompaction(seq: seq, payload: encodeState(entries))
            try await journal.append(makeRecord(6))
            await journal.close()
            let last = dir + "/" + (try requireSegments(fs, dir).last!)
            try overwrite(fs, last, with: try fs.readFile(at: last) + Array("{\"seq\":7,".utf8))
            let r = try recover(fs, dir)
            #expect(r.report.tornTail != nil)

            #expect(permissions(root + "/tenants") == 0o700)
            #expect(permissions(dir) == 0o700)
            let names = try fs.contentsOfDirectory(at: dir)
            #expect(names.contains { $0.hasPrefix("snapshot-") })
            #expect(names.contains { $0.contains(".broken-") })
            #expect(!names.contains { $0.hasSuffix(".tmp") })
            for name in names {
                #expect(permissions(dir + "/" + name) == 0o600, "\(name)")
            }
        }
    }

    @Test("basic operations: read, append, truncate, rename, remove, errors")
    func basicOperations() async throws {
        let fs = PosixFileSystem()
        try await withTemporaryDirectory { root in
            let path = root + "/f"
            #expect(!fs.exists(path))
            let error = #expect(throws: StorageError.self) { try fs.openForAppend(at: path, create: false) }
            #expect(error?.code == .io && error?.errno == 2)
            let file = try fs.openForAppend(at: path, create: true)
            try file.append(Array("hello world".utf8))
            #expect(file.size == 11)
            try file.truncate(to: 5)
            #expect(file.size == 5)
            try file.append(Array("!".utf8))
            try file.sync()
            file.close()
            #expect(try fs.readFile(at: path) == Array("hello!".utf8))
            // Reopening appends after the existing content and knows its size.
            let again = try fs.openForAppend(at: path, create: false)
            #expect(again.size == 6)
            try again.append(Array("?".utf8))
            again.close()
            #expect(try fs.readFile(at: path) == Array("hello!?".utf8))

            try fs.rename(from: path, to: root + "/g")
            try fs.syncDirectory(at: root)
            #expect(!fs.exists(path) && fs.exists(root + "/g") && !fs.isDirectory(root + "/g"))
            try fs.removeItem(at: root + "/g")
            try fs.removeItem(at: root + "/g")  // already gone: fine
            #expect(try fs.contentsOfDirectory(at: root).isEmpty)
            #expect(throws: StorageError.self) { try fs.readFile(at: root + "/missing") }
            #expect(throws: StorageError.self) { try fs.contentsOfDirectory(at: root + "/missing") }
            #expect(fs.parent(of: root + "/g") == root)
            #expect(fs.parent(of: "/x") == "/")
        }
    }

    @Test("files synced together (one syncfs, or one fdatasync each) keep what was appended", arguments: [true, false])
    func syncTogetherKeepsEveryFile(joint: Bool) async throws {
        let fs = PosixFileSystem(jointSync: joint)
        try await withTemporaryDirectory { root in
            let files = try (0..<3).map { try fs.openForAppend(at: root + "/f\($0)", create: true) }
            for (i, file) in files.enumerated() { try file.append(Array("record \(i)\n".utf8)) }
            try fs.syncTogether(files)
            try fs.syncTogether([files[0]])
            try fs.syncTogether([])
            for file in files { file.close() }
            for i in 0..<3 { #expect(try fs.readFile(at: root + "/f\(i)") == Array("record \(i)\n".utf8)) }
        }
    }
}
