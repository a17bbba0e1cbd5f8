import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether process `pid` holds the socket listening on TCP `port` (IPv4 or IPv6), read from
/// `/proc`. A `/healthz` answer on a port proves nothing on its own when tests run in
/// parallel: the port picked as free may have gone to another test's server, which then
/// answers while this one fails to bind and exits.
public func processListens(pid: Int32, port: Int) -> Bool {
    let portSuffix = ":" + String(format: "%04X", port)
    var inodes: Set<Substring> = []
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        guard let text = readProcFile(table) else { continue }
        for line in text.split(separator: "\n").dropFirst() {
            // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[3] == "0A", fields[1].hasSuffix(portSuffix) else { continue }
            inodes.insert(fields[9])
        }
    }
    guard !inodes.isEmpty, let fds = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd") else { return false }
    for fd in fds {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
              target.hasPrefix("socket:["), target.hasSuffix("]") else { continue }
        if inodes.contains(target.dropFirst(8).dropLast()) { return true }
    }
    return false
}

/// The whole of a `/proc` file. Such files report a size of 0 and are produced a page per
/// `read`, so read until end of file rather than trusting the size.
func readProcFile(_ path: String) -> String? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 { if errno == EINTR { continue } else { return nil } }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}
