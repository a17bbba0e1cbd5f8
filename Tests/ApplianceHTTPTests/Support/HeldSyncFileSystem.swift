import ApplianceStorage
import StorageTestSupport
import Foundation
import Synchronization

/// The real file system, except that `fdatasync` of a journal can be held: while held, a sync
/// blocks its storage thread until ``release()``, and each blocked sync is announced on
/// ``syncsHeld``. Lets a test see that nothing is acknowledged while the journal has not synced.
final class HeldSyncFileSystem: ForwardingFileSystem {
    let base = PosixFileSystem()
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
        File(try base.openForAppend(at: path, create: create), owner: self)
    }
}
