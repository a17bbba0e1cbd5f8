#if canImport(Glibc)
import CLinuxSync
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Syncing many journal files at once.
extension PosixFileSystem {
    /// Files on one file system are synced with a single `syncfs` (Linux) when there are at
    /// least two of them: it writes back every dirty page of that file system and commits its
    /// journal once, where an `fdatasync` per file would commit once per file. `syncfs` reports
    /// a write-back error of any file of that file system since the descriptor was opened
    /// (Linux 5.8 and later), so a failure is never missed; it is treated like a failed
    /// `fdatasync`. One file, other kinds of file, other systems, or ``jointSync`` off: one
    /// `fdatasync` per file.
    public func syncTogether(_ files: [any DurableFile]) throws {
        #if os(Linux)
        guard jointSync, files.count > 1 else {
            for file in files { try file.sync() }
            return
        }
        var byDevice: [UInt64: [PosixFile]] = [:]
        for file in files {
            guard let posix = file as? PosixFile else {
                try file.sync()
                continue
            }
            byDevice[posix.device, default: []].append(posix)
        }
        for group in byDevice.values {
            if group.count == 1 {
                try group[0].sync()
            } else if syncfs(group[0].descriptor) != 0 {
                throw StorageError(.syncFailed, "syncfs failed", path: group[0].filePath, errno: errno)
            }
        }
        #else
        for file in files { try file.sync() }
        #endif
    }
}
