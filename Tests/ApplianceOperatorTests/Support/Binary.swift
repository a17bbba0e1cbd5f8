import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The real `shopify-whatsapp` binary: `SHOPIFY_WHATSAPP_BIN` (which appliance/test exports),
/// else the one built next to the tests.
enum Binary {
    static func path(filePath: String = #filePath) throws -> String {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SHOPIFY_WHATSAPP_BIN"], !path.isEmpty {
            guard fm.isExecutableFile(atPath: path) else { throw HarnessError("SHOPIFY_WHATSAPP_BIN=\(path) is not executable") }
            return path
        }
        let selfExe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var candidates = [URL(fileURLWithPath: selfExe).deletingLastPathComponent().appendingPathComponent("shopify-whatsapp").path]
        candidates.append(packageRoot(filePath: filePath) + "/.build/debug/shopify-whatsapp")
        for candidate in candidates where fm.isExecutableFile(atPath: candidate) { return candidate }
        throw HarnessError("shopify-whatsapp binary not found (tried \(candidates)); build it or set SHOPIFY_WHATSAPP_BIN")
    }

    /// Runs one CLI command to completion.
    @discardableResult
    static func cli(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(300)) throws -> ToolResult {
        try Tool.run(try path(), arguments, environment: ["LOG_LEVEL": "warning"].merging(environment) { $1 }, timeout: timeout)
    }

    /// `init` then `user add`; returns the new user's id.
    static func initWithUser(dataDir: String, email: String, password: String) throws -> Int {
        let initResult = try cli(["init", "--data-dir", dataDir])
        guard initResult.status == 0 else { throw HarnessError("init failed: \(initResult)") }
        let add = try cli(["user", "add", "--data-dir", dataDir, "--email", email, "--password", password])
        guard add.status == 0, let id = add.stdout.split(separator: " ").dropFirst(2).first.flatMap({ Int($0) }) else {
            throw HarnessError("user add failed: \(add)")
        }
        return id
    }
}

/// A running `serve` child, stopped (SIGTERM, then SIGKILL) by ``stop()``.
final class Server: Sendable {
    let process: Process
    let port: Int
    let logPath: String

    /// Starts `serve` on `dataDir` and a free port and waits for `/healthz`.
    static func start(dataDir: String, scratch: String, extraArguments: [String] = [], environment: [String: String] = [:]) throws -> Server {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let server = try Server(dataDir: dataDir, port: try freeLocalPort(), scratch: scratch,
                                    extraArguments: extraArguments, environment: environment)
            do {
                try server.waitUntilHealthy()
                return server
            } catch {
                lastError = error
                server.stop()
                guard server.log.contains("Address already in use") else { throw error }
            }
        }
        throw lastError ?? HarnessError("serve did not start")
    }

    init(dataDir: String, port: Int, scratch: String, extraArguments: [String], environment: [String: String]) throws {
        self.port = port
        logPath = scratch + "/serve-\(port).log"
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Binary.path())
        process.arguments = ["serve", "--data-dir", dataDir, "--host", "127.0.0.1", "--port", String(port),
                             "--chrome-data-dir", scratch + "/chrome"] + extraArguments
        var env = ProcessInfo.processInfo.environment
        for key in ["DATA_DIR", "PORT", "HOST", "PUBLIC_URL", "CHROME_DATA_DIR", "BACKUP_EVERY", "BACKUP_DIR", "BACKUP_KEEP"] {
            env.removeValue(forKey: key)
        }
        env["LOG_LEVEL"] = "info"
        env["SIGNUP"] = "open"
        env["SIGNUP_LIMIT"] = "100000"
        env.merge(environment) { $1 }
        process.environment = env
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        self.process = process
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    func waitUntilHealthy(attempts: Int = 1500) throws {
        for _ in 0..<attempts {
            guard process.isRunning else { throw HarnessError("serve exited before answering /healthz:\n\(log.suffix(2000))") }
            // The answer must come from this child, not from another test's server on the same port.
            if let connection = try? HTTPConnection(port: port, timeoutSeconds: 5),
               let response = try? connection.send("GET", "/healthz"), response.status == 200,
               processListens(pid: process.processIdentifier, port: port) { return }
            usleep(20_000)
        }
        throw HarnessError("serve did not answer /healthz:\n\(log.suffix(2000))")
    }

    /// SIGTERM, then SIGKILL if it has not stopped within 30 s.
    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(30)
        while process.isRunning && ContinuousClock.now < deadline { usleep(5_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
