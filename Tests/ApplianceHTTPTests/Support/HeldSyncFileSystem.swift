import ApplianceStorage
import Foundation
import Synchronization

/// The real file system, except that `fdatasync` of a journal can be held: while held, a sync
/// blocks its storage thread until ``release()``, and each blocked sync is announced on
/// ``syncsHeld``. Lets a test see that nothing is acknowledged while the journal has not synced.
final class HeldSyncFileSystem: FileSystem {
    let real = PosixFileSystem()
    let gate = Gate()
    let syncsHeld: AsyncStream<Void>
    let announce: AsyncStream<Void>.Continuation

    init() {
        (syncsHeld, announce) = AsyncStream.makeStream(of: Void.self)
    }

    /// From now on every journal sync blocks until ``release()``.
    func hold() { gate.close() }

    /// Lets every held and later sync through.
    func release() { gate.open() }

    /// A closable gate for blocking storage threads (they are not async).
    final class Gate: Sendable {
        let closed = Mutex(false)
        let condition = NSCondition()

        func close() { closed.withLock { $0 = true } }

        func open() {
            condition.lock()
            closed.withLock { $0 = false }
            condition.broadcast()
            condition.unlock()
        }

        /// Blocks while closed; returns whether it blocked.
        func pass() -> Bool {
            condition.lock()
            defer { condition.unlock() }
            var blocked = false
            while closed.withLock({ $0 }) {
                blocked = true
                condition.wait()
            }
            return blocked
        }
    }

    final class File: DurableFile {
        let file: any DurableFile
        let owner: HeldSyncFileSystem
        init(_ file: any DurableFile, owner: HeldSyncFileSystem) {
            self.file = file
            self.owner = owner
        }
        func append(_ bytes: [UInt8]) throws { try file.append(bytes) }
        func sync() throws {
            if owner.gate.closed.withLock({ $0 }) { owner.announce.yield() }
            _ = owner.gate.pass()
            try file.sync()
        }
        func truncate(to size: Int) throws { try file.truncate(to: size) }
        var size: Int { file.size }
        func close() { file.close() }
    }

    func openForAppend(at path: String, create: Bool) throws -> any DurableFile {
        File(try real.openForAppend(at: path, create: create), owner: self)
    }
    func createDirectory(at path: String) throws { try real.createDirectory(at: path) }
    func contentsOfDirectory(at path: String) throws -> [String] { try real.contentsOfDirectory(at: path) }
    func exists(_ path: String) -> Bool { real.exists(path) }
    func isDirectory(_ path: String) -> Bool { real.isDirectory(path) }
    func readFile(at path: String) throws -> [UInt8] { try real.readFile(at: path) }
    func writeAtomically(_ bytes: [UInt8], to path: String) throws { try real.writeAtomically(bytes, to: path) }
    func removeItem(at path: String) throws { try real.removeItem(at: path) }
    func rename(from: String, to: String) throws { try real.rename(from: from, to: to) }
    func syncDirectory(at path: String) throws { try real.syncDirectory(at: path) }
    func status(at path: String) -> FileStatus? { real.status(at: path) }
    func entries(at path: String) throws -> [DirectoryEntry]? { try real.entries(at: path) }
    func openForReading(at path: String) throws -> any ReadableFile { try real.openForReading(at: path) }
    func createFile(at path: String, exclusive: Bool) throws -> any WritableFile { try real.createFile(at: path, exclusive: exclusive) }
    func setPermissions(_ mode: UInt32, at path: String) throws { try real.setPermissions(mode, at: path) }
    func removeTree(at path: String) throws { try real.removeTree(at: path) }
    func lock(at path: String) throws -> any FileLock { try real.lock(at: path) }
    func isLocked(at path: String) -> Bool { real.isLocked(at: path) }
}
