import ApplianceDomain
import ApplianceTestSupport
import Foundation
import Testing
import WebDriver
#if canImport(Glibc)
import Glibc
#endif

/// A real `serve` on a temp data directory plus what the browser tests need around it:
/// merchants made over the API, signed Shopify deliveries, screenshots as artefacts.
final class DashboardServer: @unchecked Sendable {
    let root: String
    let dataDir: String
    let binary: String
    private(set) var server: ServerProcess
    static let secret = "shpss_browser_test_secret"

    /// A server on an empty data directory, or on a copy of `seed` (e.g. data.example).
    init(seed: String? = nil, environment: [String: String] = [:]) throws {
        self.environment = environment
        root = NSTemporaryDirectory() + "sw-browser-\(UUID().uuidString.prefix(8))"
        dataDir = root + "/data"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if let seed { try FileManager.default.copyItem(atPath: seed, toPath: dataDir) }
        binary = try Self.locateBinary()
        server = try Self.start(binary: binary, dataDir: dataDir, root: root, port: try freeLocalPort(), environment: environment)
    }

    /// What the server was started with (e.g. `SIGNUP`), kept for restarts.
    let environment: [String: String]

    /// `user invite` beside the running server; the invite code it printed.
    func invite() throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["user", "invite", "--data-dir", dataDir]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("invite code: ") }, "\(text)")
        return String(line.dropFirst("invite code: ".count))
    }

    var port: Int { server.port }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    static func start(binary: String, dataDir: String, root: String, port: Int, environment: [String: String] = [:]) throws -> ServerProcess {
        let server = try ServerProcess(binary: binary, dataDir: dataDir, port: port, logPath: root + "/serve-\(port)-\(UUID().uuidString.prefix(4)).log",
                                       chromeDir: root + "/chrome", environment: ["LOG_LEVEL": "notice"].merging(environment) { $1 })
        try server.waitUntilHealthy()
        return server
    }

    /// SIGTERM and wait.
    func stop() { server.stop() }

    /// Starts the server again on the same port and data.
    func restart() throws {
        server = try Self.start(binary: binary, dataDir: dataDir, root: root, port: port, environment: environment)
    }

    func cleanup() {
        server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A merchant made over the API (for tests that do not exercise sign-up itself), with the
    /// Shopify secret set and the log provider.
    func merchant(_ email: String, password: String = "correct horse battery") throws -> (id: Int, token: String) {
        let signup = try HTTPConnection(port: port).json("POST", "/api/v1/auth/signup", ["email": email, "password": password])
        guard signup.status == 201, let token = signup.object?["access_token"] as? String,
              let id = (signup.object?["user"] as? [String: Any])?["id"] as? Int else {
            throw HarnessError("signup failed: \(signup.status) \(signup.text)")
        }
        try configure(token: token)
        return (id, token)
    }

    func configure(token: String) throws {
        let put = try HTTPConnection(port: port).json("PUT", "/api/v1/admin/settings",
                                                      ["shopify_webhook_secret": Self.secret, "whatsapp_provider": "log"], token: token)
        guard put.status == 200 else { throw HarnessError("settings failed: \(put.status) \(put.text)") }
    }

    /// Posts a signed orders/create for tenant `userID`; returns the HTTP status.
    @discardableResult
    func postOrder(userID: Int, id: UInt64, number: Int, customer: String = "Jessica Smith") throws -> Int {
        var body = String(decoding: ShopifyClient.orderBody(id: id, number: number), as: UTF8.self)
        if customer != "Jessica Smith" {
            let quoted = String(decoding: try JSONSerialization.data(withJSONObject: [customer]), as: UTF8.self).dropFirst().dropLast()
            body = body.replacingOccurrences(of: #""name":"Jessica Smith""#, with: #""name":\#(quoted)"#)
            body = body.replacingOccurrences(of: #""first_name":"Jessica","last_name":"Smith""#, with: #""first_name":\#(quoted),"last_name":"""#)
        }
        let bytes = Array(body.utf8)
        let response = try HTTPConnection(port: port).send("POST", "/api/v1/webhooks/\(userID)/orders/create", headers: [
            ("Content-Type", "application/json"), ("X-Shopify-Topic", "orders/create"),
            ("X-Shopify-Webhook-Id", UUID().uuidString.lowercased()), ("X-Shopify-Shop-Domain", "demo-shop.myshopify.com"),
            ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(body: bytes, secret: Self.secret)),
        ], body: bytes)
        return response.status
    }

    func setStatus(token: String, orderID: UInt64, _ status: String) throws {
        let r = try HTTPConnection(port: port).json("POST", "/api/v1/admin/orders/\(orderID)/status", ["status": status], token: token)
        guard r.status == 200 else { throw HarnessError("status change failed: \(r.status) \(r.text)") }
    }

    /// The `websocket_clients` gauge of `/metrics` (loopback).
    func liveClients() throws -> Int {
        let text = try HTTPConnection(port: port).send("GET", "/metrics").text
        for line in text.split(separator: "\n") where line.hasPrefix("websocket_clients ") {
            return Int(Double(line.split(separator: " ")[1]) ?? -1)
        }
        return -1
    }

    /// The package root (for data.example).
    static func packageRoot(filePath: String = #filePath) -> String {
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir.path }
            dir.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }

    static func locateBinary(filePath: String = #filePath) throws -> String {
        if let path = ProcessInfo.processInfo.environment["SHOPIFY_WHATSAPP_BIN"], !path.isEmpty { return path }
        var dir = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(".build/debug/shopify-whatsapp").path
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path),
               FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        throw HarnessError("shopify-whatsapp binary not found; set SHOPIFY_WHATSAPP_BIN")
    }
}

/// Screenshots written where CI keeps artefacts (`artifacts/screenshots/`, or `ARTIFACTS_DIR`).
enum Artefacts {
    static var directory: String {
        if let dir = ProcessInfo.processInfo.environment["ARTIFACTS_DIR"], !dir.isEmpty { return dir + "/screenshots" }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
                return dir.appendingPathComponent("artifacts/screenshots").path
            }
            dir.deleteLastPathComponent()
        }
        return NSTemporaryDirectory() + "screenshots"
    }

    static func save(_ png: Data, as name: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: directory + "/" + name + ".png"))
    }
}
