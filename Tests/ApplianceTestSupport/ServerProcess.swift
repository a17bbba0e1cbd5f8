import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A running `serve` child.
public final class ServerProcess: Sendable {
    public let process: Process
    public let port: Int
    public let logPath: String

    public init(binary: String, dataDir: String, port: Int, logPath: String, chromeDir: String,
         environment: [String: String] = [:]) throws {
        self.port = port
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--data-dir", dataDir, "--host", "127.0.0.1", "--port", String(port), "--chrome-data-dir", chromeDir]
        process.environment = ServerProcess.childEnvironment().merging(environment) { _, new in new }
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? log.close()
        self.process = process
    }

    public var pid: Int32 { process.processIdentifier }

    /// Everything the server logged so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls `/healthz` (a bounded number of attempts) until it answers 200 from this process
    /// (not from another test's server that got the same port).
    public func waitUntilHealthy(attempts: Int = 1500) throws {
        for _ in 0..<attempts {
            guard process.isRunning else {
                throw HarnessError("serve exited (status \(process.terminationStatus)) before answering /healthz:\n\(log.suffix(2000))")
            }
            if let connection = try? HTTPConnection(port: port, timeoutSeconds: 5),
               let response = try? connection.send("GET", "/healthz"), response.status == 200,
               processListens(pid: process.processIdentifier, port: port) {
                return
            }
            usleep(20_000)
        }
        throw HarnessError("serve did not answer /healthz after \(attempts) attempts:\n\(log.suffix(2000))")
    }

    public func kill(_ signal: Int32) {
        if process.isRunning { _ = Glibc.kill(process.processIdentifier, signal) }
    }

    /// Waits for the process to end; false on timeout.
    public func waitForExit(timeout: Duration) -> Bool { ServerProcess.waitForExit(process, timeout: timeout) }

    /// SIGTERM, then wait; SIGKILL if it does not stop within `timeout`.
    public func stop(timeout: Duration = .seconds(30)) {
        kill(SIGTERM)
        if !waitForExit(timeout: timeout) {
            kill(SIGKILL)
            _ = waitForExit(timeout: .seconds(10))
        }
    }
}

extension ServerProcess {
    /// The environment of a child: this process's, minus what would redirect the server.
    public static func childEnvironment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in ["DATA_DIR", "PORT", "HOST", "PUBLIC_URL", "CHROME_DATA_DIR"] { env.removeValue(forKey: key) }
        env["LOG_LEVEL"] = "info"
        // The suites make many merchants through the API; a test of the sign-up policy sets its own.
        env["SIGNUP"] = "open"
        env["SIGNUP_LIMIT"] = "100000"
        return env
    }

    /// Waits up to `timeout` for `process` to end (polling; the process is ours).
    public static func waitForExit(_ process: Process, timeout: Duration) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return false }
            usleep(2_000)
        }
        process.waitUntilExit()
        return true
    }
}
