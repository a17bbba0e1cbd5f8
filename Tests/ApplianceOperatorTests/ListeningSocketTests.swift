import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The harness trusts a `/healthz` answer only from the child that holds the listening socket.
@Suite struct ListeningSocketTests {
    @Test func onlyTheProcessHoldingTheListenerIsRecognised() throws {
        // Enough other listeners first that the table spans several pages of /proc/net/tcp
        // (it is produced a page, about 27 lines, per read).
        let others = (0..<120).map { _ in Self.listener() }
        defer { for (fd, _) in others { close(fd) } }
        for (_, port) in others.suffix(3) { #expect(processListens(pid: getpid(), port: port)) }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(bound == 0)
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: local.sin_port))
        // Bound but not listening yet: not a server.
        #expect(!processListens(pid: getpid(), port: port))
        #expect(listen(fd, 4) == 0)
        #expect(processListens(pid: getpid(), port: port))
        // Another process (the parent shell or init) does not hold it.
        #expect(!processListens(pid: getppid(), port: port))
        close(fd)
        #expect(!processListens(pid: getpid(), port: port))
    }

    /// A socket listening on 127.0.0.1 and a free port.
    static func listener() -> (Int32, Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        _ = listen(fd, 4)
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: local.sin_port)))
    }
}
