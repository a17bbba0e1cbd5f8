import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Read-only queries over `/proc` (Linux).
enum ProcessTable {
    /// Every pid in `/proc`.
    static func allPIDs() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// State letter, parent pid and process group of `pid`; nil when it is gone.
    static func stat(_ pid: pid_t) -> (state: Character, ppid: pid_t, pgid: pid_t)? {
        guard let text = read("/proc/\(pid)/stat").map({ String(decoding: $0, as: UTF8.self) }),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm) ": state ppid pgrp …
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 3, let state = fields[0].first, let ppid = pid_t(fields[1]), let pgid = pid_t(fields[2]) else { return nil }
        return (state, ppid, pgid)
    }

    /// True when `pid` exists and is not a zombie waiting to be reaped.
    static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0, kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let state = stat(pid)?.state else { return false }
        return state != "Z" && state != "X"
    }

    /// Live members of process group `pgid`.
    static func members(ofGroup pgid: pid_t) -> [pid_t] {
        allPIDs().filter { pid in
            guard let s = stat(pid) else { return false }
            return s.pgid == pgid && s.state != "Z" && s.state != "X"
        }
    }

    /// Live processes whose initial environment holds `entry` (`KEY=value`). Chrome's zygote
    /// children overwrite theirs; find those by process group instead.
    static func processes(withEnvironmentEntry entry: String) -> [pid_t] {
        let needle = Array(entry.utf8)
        return allPIDs().filter { pid in
            guard let environ = read("/proc/\(pid)/environ") else { return false }
            return environ.split(separator: 0).contains { $0.elementsEqual(needle) } && isAlive(pid)
        }
    }

    /// The path `/proc/<pid>/exe` points to; nil when gone or not ours to read.
    static func executable(_ pid: pid_t) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe")
    }

    /// The whole content of a (pseudo) file; nil when it cannot be read.
    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return n == 0 ? result : nil }
            result += chunk[0..<n]
        }
    }
}
