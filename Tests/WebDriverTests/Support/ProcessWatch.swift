import Foundation
import Synchronization
import Testing
@testable import WebDriver

/// Pids a test saw its service start, to check they are all gone at the end.
final class ProcessWatch: Sendable {
    private let seen = Mutex<Set<Int32>>([])

    func record(_ pids: [Int32]) {
        seen.withLock { $0.formUnion(pids) }
    }

    var pids: Set<Int32> { seen.withLock { $0 } }

    /// The recorded pids still alive (zombies count as gone).
    var alive: [Int32] { pids.filter { ProcessTable.isAlive($0) }.sorted() }

    /// Expects every recorded process to have ended (and that there were some).
    func expectAllGone(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!pids.isEmpty, "no processes were recorded", sourceLocation: sourceLocation)
        let left = alive
        #expect(left.isEmpty, "still alive after shutdown: \(left.map { "\($0) \(Self.describe($0))" })", sourceLocation: sourceLocation)
    }

    static func describe(_ pid: Int32) -> String {
        guard let bytes = ProcessTable.read("/proc/\(pid)/cmdline") else { return "?" }
        return String(decoding: bytes.prefix(120).map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
    }
}
