import ApplianceStorage
import StorageTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file-system methods backup, restore and the data-directory lock use, on both
/// implementations: the same assertions against ``PosixFileSystem`` and ``MemoryFileSystem``.
@Suite("FileSystem seam")
struct FileSystemSeamTests {
    enum Implementation: String, CaseIterable, CustomTestStringConvertible {
        case posix, memory
        var testDescription: String { rawValue }
    }

    /// Runs `body` with a file system of `kind` and an existing empty folder on it.
    func withRoot(_ kind: Implementation, _ body: (any FileSystem, String) throws -> Void) async throws {
        switch kind {
        case .posix:
            try await withTemporaryDirectory { root in try body(PosixFileSystem(), root) }
        case .memory:
            let fs = MemoryFileSystem()
            try fs.createDirectory(at: "/mem")
            try body(fs, "/mem")
        }
    }

    @Test("status and kind: files with their size, folders, nothing", arguments: Implementation.allCases)
    func status(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            try fs.writeAtomically(Array("hello".utf8), to: root + "/f")
            try fs.createDirectory(at: root + "/d")
            #expect(fs.status(at: root + "/f")?.kind == .file)
            #expect(fs.status(at: root + "/f")?.size == 5)
            #expect(fs.status(at: root + "/d")?.kind == .directory)
            #expect(fs.status(at: root + "/none") == nil)
            #expect(fs.kind(of: root + "/none") == .missing)
            #expect(fs.kind(of: root + "/f") == .file)
        }
    }

    @Test("entries list names with kinds; a missing folder is nil", arguments: Implementation.allCases)
    func entries(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            try fs.writeAtomically([1], to: root + "/f")
            try fs.createDirectory(at: root + "/d/e")
            let entries = try #require(try fs.entries(at: root)).sorted { $0.name < $1.name }
            #expect(entries == [DirectoryEntry(name: "d", kind: .directory), DirectoryEntry(name: "f", kind: .file)])
            #expect(try fs.entries(at: root + "/none") == nil)
        }
    }

    @Test("a file opened for reading keeps its content after removal; nothing there is notFound", arguments: Implementation.allCases)
    func openForReading(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            try fs.writeAtomically(Array("a\nbc\nde".utf8), to: root + "/f")
            let file = try fs.openForReading(at: root + "/f")
            defer { file.close() }
            try fs.removeItem(at: root + "/f")
            #expect(file.size == 7)
            #expect(try file.read(upTo: 100) == Array("a\nbc\nde".utf8))
            var middle = [UInt8](repeating: 0, count: 2)
            #expect(try middle.withUnsafeMutableBytes { try file.read(into: $0, at: 2) } == 2)
            #expect(middle == Array("bc".utf8))
            #expect(try file.lengthOfWholeLines(within: file.size) == 5)
            #expect(throws: StorageError.self) { try fs.openForReading(at: root + "/none") }
            do {
                _ = try fs.openForReading(at: root + "/none")
            } catch let error as StorageError {
                #expect(error.code == .notFound)
            }
        }
    }

    @Test("createFile: exclusive refuses an existing file, otherwise truncates; identity matches a reader's", arguments: Implementation.allCases)
    func createFile(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            let path = root + "/out"
            let out = try fs.createFile(at: path, exclusive: true)
            try out.write(Array("12345".utf8))
            try out.sync()
            #expect(out.size == 5)
            let reader = try fs.openForReading(at: path)
            #expect(reader.identity == out.identity)
            reader.close()
            out.close()
            #expect(try fs.readFile(at: path) == Array("12345".utf8))
            #expect(throws: StorageError.self) { try fs.createFile(at: path, exclusive: true) }
            let again = try fs.createFile(at: path, exclusive: false)
            try again.write(Array("x".utf8))
            again.close()
            #expect(try fs.readFile(at: path) == Array("x".utf8))
        }
    }

    @Test("setPermissions changes (or, in memory, records) the mode", arguments: Implementation.allCases)
    func setPermissions(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            try fs.createDirectory(at: root + "/d")
            try fs.setPermissions(0o750, at: root + "/d")
            switch fs {
            case let memory as MemoryFileSystem: #expect(memory.permissions(at: root + "/d") == 0o750)
            default: #expect(permissions(root + "/d") == 0o750)
            }
            #expect(throws: StorageError.self) { try fs.setPermissions(0o700, at: root + "/none") }
        }
    }

    @Test("removeTree removes a folder with everything in it; nothing there is fine", arguments: Implementation.allCases)
    func removeTree(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            try fs.createDirectory(at: root + "/t/a/b")
            try fs.writeAtomically([1], to: root + "/t/a/b/f")
            try fs.writeAtomically([2], to: root + "/t/g")
            try fs.writeAtomically([3], to: root + "/keep")
            try fs.removeTree(at: root + "/t")
            #expect(!fs.exists(root + "/t"))
            #expect(!fs.exists(root + "/t/a/b/f"))
            #expect(fs.exists(root + "/keep"))
            try fs.removeTree(at: root + "/t")
            try fs.removeTree(at: root + "/keep")
            #expect(!fs.exists(root + "/keep"))
        }
    }

    @Test("a lock is exclusive until released; isLocked sees it without taking it", arguments: Implementation.allCases)
    func locks(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            let path = root + "/.lock"
            #expect(!fs.isLocked(at: path))
            var lock: (any FileLock)? = try fs.lock(at: path)
            #expect(fs.exists(path))
            #expect(fs.isLocked(at: path))
            do {
                _ = try fs.lock(at: path)
                Issue.record("a second lock was granted")
            } catch let error as StorageError {
                #expect(error.code == .inUse)
            }
            withExtendedLifetime(lock) {}
            lock = nil
            #expect(!fs.isLocked(at: path))
            _ = try fs.lock(at: path)
        }
    }

    @Test("the data-directory lock refuses a second holder with the serve message", arguments: Implementation.allCases)
    func dataDirectoryLock(_ kind: Implementation) async throws {
        try await withRoot(kind) { fs, root in
            let held = try DataDirectoryLock(root: root, fs: fs)
            #expect(DataDirectoryLock.isHeld(root: root, fs: fs))
            do {
                _ = try DataDirectoryLock(root: root, fs: fs)
                Issue.record("a second lock was granted")
            } catch let error as StorageError {
                #expect(error.code == .inUse)
                #expect(error.message == "the data directory \(root) is in use by a running `serve`; stop it first")
            }
            withExtendedLifetime(held) {}
        }
    }

    @Test("journal file names: segments, snapshots, scratch")
    func journalFileNames() {
        #expect(JournalFileName.isSegment(JournalFileName.segment(7)))
        #expect(!JournalFileName.isSegment("journal.jsonl"))
        #expect(JournalFileName.isSnapshot(JournalFileName.snapshot(7)))
        #expect(JournalFileName.isScratch(".lock"))
        #expect(JournalFileName.isScratch(JournalFileName.snapshot(7) + ".tmp"))
        #expect(!JournalFileName.isScratch(JournalFileName.segment(1)))
    }
}
