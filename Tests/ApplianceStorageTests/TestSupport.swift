import ApplianceStorage
import StorageTestSupport
import Foundation
import Logging
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Shared infrastructure

/// The storage thread pool shared by every test: started once, never shut down.
let testPool: NIOThreadPool = {
    let pool = NIOThreadPool(numberOfThreads: 2)
    pool.start()
    return pool
}()

/// A logger that drops everything (the engine logs criticals on purpose in fault tests).
let quietLogger = Logger(label: "storage-tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// Collects the errors passed to a journal's `onFatal` handler and lets a test await the first.
final class FatalRecorder: Sendable {
    private struct State {
        var errors: [StorageError] = []
        var waiters: [CheckedContinuation<StorageError, Never>] = []
    }
    private let state = Mutex(State())

    var handler: @Sendable (StorageError) -> Void { { [self] error in self.record(error) } }

    var errors: [StorageError] { state.withLock { $0.errors } }

    func record(_ error: StorageError) {
        let waiters = state.withLock { s in
            s.errors.append(error)
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume(returning: error) }
    }

    /// Suspends until the handler has been called at least once.
    func first() async -> StorageError {
        await withCheckedContinuation { continuation in
            let existing: StorageError? = state.withLock { s in
                if let first = s.errors.first { return first }
                s.waiters.append(continuation)
                return nil
            }
            if let existing { continuation.resume(returning: existing) }
        }
    }
}

/// A one-shot event: `signal()` from any thread, `wait()` from a task.
final class AsyncEvent: Sendable {
    private struct State {
        var signalled = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func signal() {
        let waiters = state.withLock { s in
            s.signalled = true
            defer { s.waiters = [] }
            return s.waiters
        }
        for w in waiters { w.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let now = state.withLock { s in
                if s.signalled { return true }
                s.waiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }
}

// MARK: - Temporary directories

/// Runs `body` with a fresh empty directory (mode 0700) that is removed afterwards.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    var template = Array((NSTemporaryDirectory() + "/storage-tests-XXXXXX").utf8CString)
    let path: String = try template.withUnsafeMutableBufferPointer { buffer in
        guard let p = mkdtemp(buffer.baseAddress!) else {
            throw StorageError(.io, "mkdtemp failed", errno: errno)
        }
        return String(cString: p)
    }
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

func removeTree(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}

// MARK: - Records

/// A JSON record; `size` pads it to roughly that many bytes.
func makeRecord(_ n: Int, size: Int = 0) -> [UInt8] {
    let head = #"{"n":\#(n),"pad":""#
    let padCount = max(0, size - head.utf8.count - 2)
    let pad = String(repeating: Character(UnicodeScalar(UInt8(97 + n % 26))), count: padCount)
    return Array((head + pad + #""}"#).utf8)
}

// MARK: - Journals and recovery

/// What a recovery returned.
struct Recovered: Sendable {
    struct Entry: Sendable, Equatable {
        var seq: UInt64
        var rec: [UInt8]
    }
    var report: RecoveryReport
    var snapshot: (seq: UInt64, payload: [UInt8])?
    var records: [Entry]
    var seqs: [UInt64] { records.map(\.seq) }
}

/// Recovers `directory`, collecting the snapshot payload and every replayed record.
func recover(_ fs: any FileSystem, _ directory: String, mode: JournalReader.Mode = .repair) throws -> Recovered {
    var snapshot: (seq: UInt64, payload: [UInt8])?
    var records: [Recovered.Entry] = []
    let report = try JournalReader.recover(
        directory: directory, fs: fs, mode: mode, logger: quietLogger,
        onSnapshot: { seq, payload in snapshot = (seq, Array(payload)) },
        onRecord: { seq, raw in records.append(.init(seq: seq, rec: Array(raw))) })
    return Recovered(report: report, snapshot: snapshot, records: records)
}

/// Creates `directory` if needed, recovers it (repair mode) and opens a journal on it.
func openJournal(
    _ fs: any FileSystem, _ directory: String, options: Journal.Options = Journal.Options(),
    onFatal: @escaping @Sendable (StorageError) -> Void = { _ in }
) throws -> (journal: Journal, recovered: Recovered) {
    if !fs.isDirectory(directory) { try fs.createDirectory(at: directory) }
    let recovered = try recover(fs, directory, mode: .repair)
    let journal = try Journal(directory: directory, fs: fs, report: recovered.report, pool: testPool,
                              options: options, logger: quietLogger, onFatal: onFatal)
    return (journal, recovered)
}

/// Every file in `directory` with its content (for "nothing changed" checks).
func dumpDirectory(_ fs: any FileSystem, _ directory: String) throws -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for name in try fs.contentsOfDirectory(at: directory) {
        let path = directory + "/" + name
        if !fs.isDirectory(path) { out[name] = try fs.readFile(at: path) }
    }
    return out
}

/// Replaces the content of the file at `path`.
func overwrite(_ fs: any FileSystem, _ path: String, with bytes: [UInt8]) throws {
    try fs.removeItem(at: path)
    let file = try fs.openForAppend(at: path, create: true)
    defer { file.close() }
    try file.append(bytes)
    try file.sync()
    try fs.syncDirectory(at: fs.parent(of: path))
}

/// The names of the segment files in `directory`, in sequence order.
func segmentNames(_ fs: any FileSystem, _ directory: String) throws -> [String] {
    try fs.contentsOfDirectory(at: directory).filter { JournalFileName.parseSegment($0) != nil }.sorted()
}

/// The segment files in `directory`, in sequence order; throws when there is none.
func requireSegments(_ fs: any FileSystem, _ directory: String) throws -> [String] {
    let names = try segmentNames(fs, directory)
    if names.isEmpty { throw StorageError(.io, "no segment file", path: directory) }
    return names
}

/// `[1, 2, ..., n]` (empty for 0).
func seqs(through n: Int) -> [UInt64] { (0..<max(0, n)).map { UInt64($0 + 1) } }

/// The seqs of the snapshot files in `directory`, oldest first.
func snapshotSeqs(_ fs: any FileSystem, _ directory: String) throws -> [UInt64] {
    try fs.contentsOfDirectory(at: directory).compactMap(JournalFileName.parseSnapshot).sorted()
}

/// Byte offsets just after each line (header and records) of a segment file.
func lineEnds(_ bytes: [UInt8]) -> [Int] {
    bytes.indices.filter { bytes[$0] == 0x0A }.map { $0 + 1 }
}

/// Deterministic pseudo-random bytes (xorshift), for garbage tails.
func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var x = seed | 1
    return (0..<count).map { _ in
        x ^= x << 13; x ^= x >> 7; x ^= x << 17
        return UInt8(truncatingIfNeeded: x)
    }
}

/// The payload of a test snapshot: one `<seq> <rec>` line per record applied so far.
func encodeState(_ entries: [Recovered.Entry]) -> [UInt8] {
    var out: [UInt8] = []
    for e in entries {
        out += Array("\(e.seq) ".utf8)
        out += e.rec
        out.append(0x0A)
    }
    return out
}

func decodeState(_ payload: [UInt8]) -> [Recovered.Entry] {
    payload.split(separator: 0x0A).map { line in
        let space = line.firstIndex(of: 0x20)!
        return Recovered.Entry(seq: UInt64(String(decoding: line[..<space], as: UTF8.self))!,
                               rec: Array(line[(space + 1)...]))
    }
}

/// The full state a recovery yields: the snapshot's entries followed by the replayed records.
func fullState(_ r: Recovered) -> [Recovered.Entry] {
    (r.snapshot.map { decodeState($0.payload) } ?? []) + r.records
}

/// The permission bits of `path`.
func permissions(_ path: String) -> mode_t? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return st.st_mode & 0o7777
}
