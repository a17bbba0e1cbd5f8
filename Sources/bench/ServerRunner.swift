import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The release `shopify-whatsapp serve` as a child process, with its log in a file.
final class ServerRunner: @unchecked Sendable {
    let process = Process()
    let port: Int
    let logPath: String
    let started: ContinuousClock.Instant

    /// `arguments` replaces `serve …` (for another server, e.g. ``LimitServer``).
    init(binary: String, dataDir: String, port: Int, logPath: String, environment: [String: String] = [:],
         arguments: [String]? = nil) throws {
        self.port = port
        self.logPath = logPath
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments ?? ["serve", "--data-dir", dataDir, "--host", "127.0.0.1", "--port", String(port),
                                          "--chrome-data-dir", dataDir + "-chrome"]
        var env = ProcessInfo.processInfo.environment
        for key in ["DATA_DIR", "PORT", "HOST", "PUBLIC_URL"] { env.removeValue(forKey: key) }
        env["LOG_LEVEL"] = env["LOG_LEVEL"] ?? "info"
        // The benches make many merchants through the API.
        env["SIGNUP"] = "open"
        env["SIGNUP_LIMIT"] = "1000000"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        started = .now
        try process.run()
        try? log.close()
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls `/healthz` every `interval` until it answers 200; returns the time since spawn.
    func waitHealthy(attempts: Int = 20_000, intervalMicros: UInt32 = 2_000) throws -> Duration {
        for _ in 0..<attempts {
            guard process.isRunning else { throw BenchError("serve exited early:\n\(log.suffix(2000))") }
            if let c = try? BlockingHTTP(port: port, timeoutSeconds: 5), let r = try? c.send("GET", "/healthz"), r.status == 200 {
                return ContinuousClock.now - started
            }
            usleep(intervalMicros)
        }
        throw BenchError("serve did not become healthy:\n\(log.suffix(2000))")
    }

    /// A field of /proc/<pid>/status in KiB (VmRSS, VmHWM, ...).
    func statusKiB(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        }
        return nil
    }

    /// User and system CPU seconds used so far.
    func cpuSeconds() -> (user: Double, system: Double) {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return (0, 0) }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the comm field: state is fields[0]; utime is field 14 overall → index 11 here.
        let tick = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ((Double(fields[11]) ?? 0) / tick, (Double(fields[12]) ?? 0) / tick)
    }

    /// The `took` of the "data loaded" log line.
    var dataLoadedTook: String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("data loaded") }),
              let range = line.range(of: "took=") else { return nil }
        return String(line[range.upperBound...].prefix { $0 != " " && $0 != "]" && $0 != "," })
    }

    /// A `key=value` field of the "data loaded" log line (`orders`, `tenants`, `unavailable`).
    func dataLoadedField(_ key: String) -> String? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("data loaded") }),
              let range = line.range(of: key + "=") else { return nil }
        return String(line[range.upperBound...].prefix { $0 != " " && $0 != "]" && $0 != "," })
    }

    func stop() {
        guard process.isRunning else { return }
        kill(pid, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning { kill(pid, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A free TCP port on 127.0.0.1.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { _ = close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { throw BenchError("bind failed") }
    var bound = sockaddr_in()
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &bound) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: bound.sin_port))
}

/// A small blocking HTTP/1.1 client for set-up calls (sign-up, settings) and readiness polls.
final class BlockingHTTP {
    let port: Int
    let fd: Int32
    var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 30) throws {
        self.port = port
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 {
            _ = close(fd)
            throw BenchError("connect failed")
        }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { _ = close(fd) }

    func send(_ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil) throws -> (status: Int, body: [String: Any]) {
        let (status, payload) = try sendRaw(method, path, json: json, token: token)
        return (status, ((try? JSONSerialization.jsonObject(with: payload)) as? [String: Any]) ?? [:])
    }

    /// One request; the response body as bytes.
    func sendRaw(_ method: String, _ path: String, json: [String: Any]? = nil, token: String? = nil) throws -> (status: Int, body: Data) {
        let body = try json.map { Array(try JSONSerialization.data(withJSONObject: $0)) } ?? []
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\nContent-Type: application/json\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        return try exchange(Array((head + "\r\n").utf8) + body)
    }

    /// Sends one serialised HTTP/1.1 request and reads its response (status and body).
    func exchange(_ bytes: [UInt8]) throws -> (status: Int, body: Data) {
        var off = 0
        while off < bytes.count {
            let n = bytes[off...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress!, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { throw BenchError("send failed") }
            off += n
        }
        var headerEnd: Int?
        while headerEnd == nil {
            if let r = find([13, 10, 13, 10]) { headerEnd = r } else { try fill() }
        }
        let head2 = String(decoding: buffer[0..<headerEnd!], as: UTF8.self).lowercased()
        let status = Int(head2.split(separator: " ")[1]) ?? 0
        var length = 0
        for line in head2.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buffer.count < headerEnd! + 4 + length { try fill() }
        let payload = Data(buffer[(headerEnd! + 4)..<(headerEnd! + 4 + length)])
        buffer.removeFirst(headerEnd! + 4 + length)
        return (status, payload)
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] && Array(buffer[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    private func fill() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
        if n <= 0 { throw BenchError("connection closed") }
        buffer.append(contentsOf: chunk[0..<n])
    }
}
