import Foundation
import Synchronization

/// Samples the memory of a process and all its descendants (the server, its chromedrivers and
/// Chromes) from `/proc` until stopped: peak resident set (RSS, shared pages counted in every
/// process) and peak proportional set (PSS, shared pages split: the honest total).
final class ProcessTreeMemory: Sendable {
    struct Peak: Sendable {
        /// KiB, the server process alone.
        var serverRSS = 0
        /// KiB, everything but the server.
        var browsersRSS = 0
        var browsersPSS = 0
        /// KiB, the whole tree.
        var totalPSS = 0
        /// Most processes in the tree at once.
        var processes = 0
    }

    private let state = Mutex((peak: Peak(), stop: false))
    private let task = Mutex<Task<Void, Never>?>(nil)

    static func start(root: Int32, every interval: Duration = .milliseconds(200)) -> ProcessTreeMemory {
        let sampler = ProcessTreeMemory()
        sampler.task.withLock { $0 = Task.detached { await sampler.run(root: root, interval: interval) } }
        return sampler
    }

    private func run(root: Int32, interval: Duration) async {
        while !state.withLock({ $0.stop }) {
            let tree = Self.descendants(of: root)
            var sample = Peak()
            sample.serverRSS = Self.field("VmRSS", of: root, file: "status") ?? 0
            for pid in tree where pid != root {
                sample.browsersRSS += Self.field("VmRSS", of: pid, file: "status") ?? 0
                sample.browsersPSS += Self.field("Pss", of: pid, file: "smaps_rollup") ?? 0
            }
            sample.totalPSS = sample.browsersPSS + (Self.field("Pss", of: root, file: "smaps_rollup") ?? 0)
            sample.processes = tree.count
            state.withLock { s in
                s.peak.serverRSS = max(s.peak.serverRSS, sample.serverRSS)
                s.peak.browsersRSS = max(s.peak.browsersRSS, sample.browsersRSS)
                s.peak.browsersPSS = max(s.peak.browsersPSS, sample.browsersPSS)
                s.peak.totalPSS = max(s.peak.totalPSS, sample.totalPSS)
                s.peak.processes = max(s.peak.processes, sample.processes)
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// Stops sampling and returns the peaks.
    func stop() async -> Peak {
        state.withLock { $0.stop = true }
        await task.withLock { $0 }?.value
        return state.withLock { $0.peak }
    }

    /// `root` and every live process below it (by parent pid).
    static func descendants(of root: Int32) -> [Int32] {
        var children: [Int32: [Int32]] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(name), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, let parent = Int32(fields[1]) else { continue }
            children[parent, default: []].append(pid)
        }
        var result: [Int32] = []
        var queue = [root]
        while let pid = queue.popLast() {
            result.append(pid)
            queue += children[pid] ?? []
        }
        return result
    }

    /// A `Name:  123 kB` line of `/proc/<pid>/<file>`, in KiB.
    static func field(_ name: String, of pid: Int32, file: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/\(file)", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }
}
