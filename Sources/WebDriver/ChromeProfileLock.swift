import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Chrome's per-profile singleton lock, and clearing it after a crash.
///
/// A running Chrome marks its `--user-data-dir` with three symlinks: `SingletonLock` →
/// `<hostname>-<pid>`, `SingletonSocket` and `SingletonCookie`. Chrome removes them on exit.
/// After a crash or a kill they stay behind. Chrome ignores a stale lock from its own host, but
/// refuses to start ("profile in use by another computer") when the hostname differs, which is
/// what happens after a container is re-created with the same profile volume.
public enum ChromeProfileLock {
    /// The three singleton files.
    public static let fileNames = ["SingletonLock", "SingletonSocket", "SingletonCookie"]

    /// What to do with a lock written under another hostname, whose pid cannot be checked.
    public enum OtherHostPolicy: Sendable {
        /// Leave it: the profile may be in use on a shared filesystem.
        case keep
        /// Remove it: profiles live on this machine only, so the writer is gone (the usual
        /// case for an appliance whose container hostname changes between runs).
        case assumeStale
    }

    /// The outcome of ``clearStale(in:otherHosts:)``.
    public enum Status: Sendable, Equatable {
        /// There was no lock.
        case unlocked
        /// A stale lock (dead pid, pid reused by another program, unreadable, or another host
        /// under ``OtherHostPolicy/assumeStale``) was removed.
        case removedStale(lock: String)
        /// A live Chrome on this host holds the profile; nothing was removed.
        case inUse(pid: Int32)
        /// The lock names another host and the policy is ``OtherHostPolicy/keep``; nothing was removed.
        case lockedByOtherHost(host: String, pid: Int32?)
    }

    /// Removes the singleton files of `profileDirectory` when no live process holds them.
    ///
    /// Call it before starting Chrome on the profile, never while a Chrome on it may be starting.
    /// - Throws: ``WebDriverError`` `.launchFailed` when a stale file cannot be removed.
    @discardableResult
    public static func clearStale(in profileDirectory: String, otherHosts: OtherHostPolicy = .keep) throws -> Status {
        let lockPath = profileDirectory + "/SingletonLock"
        var info = stat()
        guard lstat(lockPath, &info) == 0 else { return .unlocked }
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: lockPath)) ?? ""
        if let (host, pid) = parse(target) {
            if host == currentHostName() {
                if let pid, isChrome(pid) { return .inUse(pid: pid) }
            } else if otherHosts == .keep {
                return .lockedByOtherHost(host: host, pid: pid)
            }
        }
        for name in fileNames {
            let path = profileDirectory + "/" + name
            if unlink(path) != 0 && errno != ENOENT {
                throw WebDriverError(.launchFailed, "cannot remove stale \(path): \(String(cString: strerror(errno)))")
            }
        }
        return .removedStale(lock: target)
    }

    /// `host-pid` → (host, pid); the host may itself contain dashes.
    static func parse(_ target: String) -> (host: String, pid: Int32?)? {
        guard let dash = target.lastIndex(of: "-") else { return nil }
        return (String(target[..<dash]), Int32(target[target.index(after: dash)...]))
    }

    /// True when `pid` is alive and runs a Chrome-like binary (or one we may not inspect).
    static func isChrome(_ pid: Int32) -> Bool {
        guard ProcessTable.isAlive(pid) else { return false }
        guard let exe = ProcessTable.executable(pid) else { return true }
        let name = (exe as NSString).lastPathComponent.lowercased()
        return name.contains("chrom") || name.contains("headless_shell")
    }

    static func currentHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
