import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failure of the test harness itself (not of the product), with a readable reason.
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A parsed HTTP/1.1 response.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (nil when it is not one).
    public var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }
}

/// A minimal blocking HTTP/1.1 client on one keep-alive TCP connection to 127.0.0.1.
///
/// Deliberately small and exact: a response counts only once its status line, headers and the
/// whole body have been read, so a test knows precisely which requests the server answered.
/// Writes use `MSG_NOSIGNAL`, so a server killed mid-request is an error here, not a SIGPIPE.
public final class HTTPConnection {
    public let port: Int
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    /// Connects, with send and receive timeouts of `timeoutSeconds`.
    public init(port: Int, timeoutSeconds: Int = 30) throws {
        self.port = port
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            let e = errno
            _ = Glibc.close(fd)
            throw HarnessError("connect to 127.0.0.1:\(port) failed: errno \(e)")
        }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    deinit { close() }

    /// Sends `bytes` as they are (a partial request, a slow client).
    public func sendRaw(_ bytes: [UInt8]) throws { try writeAll(bytes) }

    /// Seconds until the server closes the connection (end of file or reset), sending the bytes
    /// of `trickle` one at a time every `every` seconds meanwhile; nil when it is still open
    /// after `limit` seconds. The close is the event waited for (`poll`).
    public func secondsUntilClosed(limit: Double, trickle: [UInt8] = [], every: Double = 0.25) -> Double? {
        let start = ContinuousClock.now
        var next = 0
        while true {
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if seconds >= limit { return nil }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let wait = Int32((min(every, limit - seconds)) * 1000)
            if poll(&pfd, 1, max(1, wait)) > 0 {
                var byte: UInt8 = 0
                let n = recv(fd, &byte, 1, 0)
                if n <= 0 { return seconds }
                continue
            }
            if next < trickle.count {
                var byte = trickle[next]
                next += 1
                if Glibc.send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) < 0 { return seconds }
            }
        }
    }

    public func close() {
        if !closed {
            closed = true
            _ = Glibc.close(fd)
        }
    }

    /// Sends one request and reads its whole response.
    public func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) throws -> HTTPResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        head += "\r\n"
        try writeAll(Array(head.utf8) + body)
        return try readResponse()
    }

    /// Sends `body` as JSON with an optional bearer token.
    public func json(_ method: String, _ path: String, _ object: [String: Any]? = nil, token: String? = nil) throws -> HTTPResponse {
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        if let object {
            body = Array(try JSONSerialization.data(withJSONObject: object))
            headers.append(("Content-Type", "application/json"))
        }
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try send(method, path, headers: headers, body: body)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        try bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw HarnessError("send failed: errno \(errno)")
                }
                offset += n
            }
        }
    }

    /// Reads more bytes into `buffer`; throws at end of stream or on a timeout.
    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 {
                buffer.append(contentsOf: chunk[0..<n])
                return
            }
            if n == 0 { throw HarnessError("connection closed by the server") }
            if errno == EINTR { continue }
            throw HarnessError("recv failed: errno \(errno)")
        }
    }

    private func readResponse() throws -> HTTPResponse {
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        var searchFrom = 0
        while headerEnd == nil {
            if buffer.count >= 4 {
                var i = max(0, searchFrom - 3)
                while i + 4 <= buffer.count {
                    if buffer[i] == 13, buffer[i + 1] == 10, buffer[i + 2] == 13, buffer[i + 3] == 10 { headerEnd = i; break }
                    i += 1
                }
                searchFrom = buffer.count
            }
            if headerEnd == nil { try fill() }
        }
        let headText = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
        buffer.removeFirst(headerEnd! + crlf2.count)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/1."), let status = Int(statusLine[1]) else {
            throw HarnessError("bad status line: \(headText.prefix(80))")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let line = try readLine()
                guard let size = Int(line.split(separator: ";")[0].trimmingCharacters(in: .whitespaces), radix: 16) else {
                    throw HarnessError("bad chunk size \(line)")
                }
                while buffer.count < size + 2 { try fill() }
                body.append(contentsOf: buffer[0..<size])
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else {
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buffer.count < length { try fill() }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return HTTPResponse(status: status, headers: headers, body: body)
    }

    private func readLine() throws -> String {
        while true {
            if let i = buffer.firstIndex(of: 10), i > 0, buffer[i - 1] == 13 {
                let line = String(decoding: buffer[0..<(i - 1)], as: UTF8.self)
                buffer.removeFirst(i + 1)
                return line
            }
            try fill()
        }
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
public func freeLocalPort() throws -> Int {
    let (fd, port) = try boundLoopbackSocket()
    _ = Glibc.close(fd)
    return port
}

/// A TCP socket bound to 127.0.0.1 on a port the kernel picked, and that port. The caller
/// closes it (or listens on it).
public func boundLoopbackSocket() throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw HarnessError("socket() failed") }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else {
        let error = errno
        _ = Glibc.close(fd)
        throw HarnessError("bind failed: errno \(error)")
    }
    var bound = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
    }
    return (fd, Int(UInt16(bigEndian: bound.sin_port)))
}
