import ApplianceHTTPTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import HummingbirdWSTesting
import NIOWebSocket
import WSCore
import WSClient
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Text frames received by a test's WebSocket, readable from outside the handler.
final class FrameLog: Sendable {
    private let frames = Mutex<[String]>([])

    func append(_ frame: String) { frames.withLock { $0.append(frame) } }
    var all: [String] { frames.withLock { $0 } }
    var json: [JSON] { all.map { (try? JSON(parsing: Array($0.utf8))) ?? .missing } }
}

/// Reads the next text message of a socket as JSON (callers bound the wait with `withTimeout`).
func nextFrame(_ iterator: inout WebSocketInboundMessageStream.AsyncIterator) async throws -> JSON {
    let message = try await iterator.next()
    guard case .text(let text) = message else { throw Waited(what: "a text frame (got \(String(describing: message)))") }
    return try JSON(parsing: Array(text.utf8))
}

/// One HTTP/1.1 request over a plain socket, for what the test client cannot send (a real
/// `Connection: Upgrade` handshake). Returns the response head and whatever body arrived.
/// With `untilClosed`, everything the server sends until it closes the connection (pipelined
/// requests whose last one says `Connection: close`).
func rawHTTP(port: Int, _ request: String, timeoutSeconds: Int = 5, untilClosed: Bool = false) async throws -> String {
    // Blocking socket calls run on a thread of their own, never on the cooperative pool the
    // server's upgrade check also needs.
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result {
                try blockingHTTP(port: port, request, timeoutSeconds: timeoutSeconds, untilClosed: untilClosed)
            })
        }
    }
}

private func blockingHTTP(port: Int, _ request: String, timeoutSeconds: Int, untilClosed: Bool) throws -> String {
    do {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let bytes = Array(request.utf8)
        guard send(fd, bytes, bytes.count, 0) == bytes.count else { throw POSIXError(.EIO) }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            response += buffer[0..<n]
            if untilClosed { continue }
            let text = String(decoding: response, as: UTF8.self)
            // Enough once the head and a declared body are in.
            if let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
                   let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) {
                    if response.count - text.utf8.distance(from: text.startIndex, to: headEnd.upperBound) >= length { break }
                } else if head.hasPrefix("http/1.1 101") {
                    break
                }
            }
        }
        return String(decoding: response, as: UTF8.self)
    }
}

/// A WebSocket opening handshake for `path`.
func upgradeRequest(_ path: String) -> String {
    "GET \(path) HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
}

/// The status code of a raw HTTP response.
func statusCode(of response: String) -> Int? {
    guard let line = response.split(separator: "\r\n").first else { return nil }
    let parts = line.split(separator: " ")
    return parts.count >= 2 ? Int(parts[1]) : nil
}
