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
        var others: [(fd: Int32, port: Int)] = []
        defer { for other in others { close(other.fd) } }
        for _ in 0..<120 {
            let other = try boundLoopbackSocket()
            others.append(other)
            #expect(listen(other.fd, 4) == 0)
        }
        for other in others.suffix(3) { #expect(processListens(pid: getpid(), port: other.port)) }

        let (fd, port) = try boundLoopbackSocket()
        // Bound but not listening yet: not a server.
        #expect(!processListens(pid: getpid(), port: port))
        #expect(listen(fd, 4) == 0)
        #expect(processListens(pid: getpid(), port: port))
        // Another process (the parent) does not hold it.
        #expect(!processListens(pid: getppid(), port: port))
        close(fd)
        #expect(!processListens(pid: getpid(), port: port))
    }
}
