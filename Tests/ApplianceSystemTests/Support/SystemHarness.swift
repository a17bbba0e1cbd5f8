import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one CLI run.
struct CLIResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// Runs the real `shopify-whatsapp` binary in a private temporary directory and kills every
/// child it started when the test ends (``cleanup()``, called from a `defer`), pass or fail.
final class SystemHarness: Sendable {
    let binary: String
    let root: String
    let dataDir: String
    private let children = Mutex<[Process]>([])

    init(name: String = #function) throws {
        signal(SIGPIPE, SIG_IGN)
        binary = try Self.locateBinary()
        let safe = name.filter { $0.isLetter || $0.isNumber }
        root = NSTemporaryDirectory() + "/shopify-whatsapp-systest-\(safe)-\(UUID().uuidString.prefix(8))"
        dataDir = root + "/data"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    /// `SHOPIFY_WHATSAPP_BIN`, else the binary next to the running test bundle
    /// (`.build/<triple>/<config>/`), else the package's `.build/debug/shopify-whatsapp`.
    static func locateBinary(filePath: String = #filePath) throws -> String {
        let fm = FileManager.default
        if let path = ProcessInfo.processInfo.environment["SHOPIFY_WHATSAPP_BIN"], !path.isEmpty {
            guard fm.isExecutableFile(atPath: path) else { throw HarnessError("SHOPIFY_WHATSAPP_BIN=\(path) is not executable") }
            return path
        }
        var candidates: [String] = []
        let selfExe = (try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        candidates.append(URL(fileURLWithPath: selfExe).deletingLastPathComponent().appendingPathComponent("shopify-whatsapp").path)
        var dir = URL(fileURLWithPath: Bundle.main.bundlePath)
        for _ in 0..<3 {
            candidates.append(dir.appendingPathComponent("shopify-whatsapp").path)
            dir.deleteLastPathComponent()
        }
        var package = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while package.path != "/" {
            if fm.fileExists(atPath: package.appendingPathComponent("Package.swift").path) {
                candidates.append(package.appendingPathComponent(".build/debug/shopify-whatsapp").path)
                break
            }
            package.deleteLastPathComponent()
        }
        for candidate in candidates where fm.isExecutableFile(atPath: candidate) { return candidate }
        throw HarnessError("shopify-whatsapp binary not found (tried \(candidates)); build it with `swift build --product shopify-whatsapp` or set SHOPIFY_WHATSAPP_BIN")
    }

    /// Kills every child still running and removes the temporary directory.
    func cleanup() {
        let all = children.withLock { list -> [Process] in
            defer { list.removeAll() }
            return list
        }
        for process in all where process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = Self.waitForExit(process, timeout: .seconds(10))
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    private func track(_ process: Process) {
        children.withLock { $0.append(process) }
    }

    /// Runs a CLI command to completion (killed after `timeout`).
    @discardableResult
    func cli(_ arguments: [String], stdin: String? = nil, timeout: Duration = .seconds(120)) throws -> CLIResult {
        let id = UUID().uuidString.prefix(8)
        let outPath = root + "/cli-\(id).out", errPath = root + "/cli-\(id).err"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = Self.childEnvironment()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        track(process)
        if let stdin {
            try input.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        guard Self.waitForExit(process, timeout: timeout) else {
            kill(process.processIdentifier, SIGKILL)
            _ = Self.waitForExit(process, timeout: .seconds(10))
            throw HarnessError("`shopify-whatsapp \(arguments.joined(separator: " "))` did not finish within \(timeout)")
        }
        return CLIResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }

    /// `init` followed by `user add`; returns the new user's id.
    func initWithUser(email: String, password: String) throws -> Int {
        let initResult = try cli(["init", "--data-dir", dataDir])
        guard initResult.status == 0 else { throw HarnessError("init failed: \(initResult)") }
        let add = try cli(["user", "add", "--data-dir", dataDir, "--email", email, "--password", password])
        guard add.status == 0 else { throw HarnessError("user add failed: \(add)") }
        // "created user <id> <email>"
        guard let id = add.stdout.split(separator: " ").dropFirst(2).first.flatMap({ Int($0) }) else {
            throw HarnessError("cannot read the user id from: \(add.stdout)")
        }
        return id
    }

    /// Starts `serve` on `dataDir` and a free port, and waits until `/healthz` answers.
    func startServer(dataDir: String? = nil, environment: [String: String] = [:]) throws -> ServerProcess {
        var lastError: (any Error)?
        for _ in 0..<3 {
            let port = try freeLocalPort()
            let server = try ServerProcess(binary: binary, dataDir: dataDir ?? self.dataDir, port: port,
                                           logPath: root + "/serve-\(port).log", chromeDir: root + "/chrome",
                                           environment: environment)
            track(server.process)
            do {
                try server.waitUntilHealthy()
                return server
            } catch {
                lastError = error
                server.kill(SIGKILL)
                _ = server.waitForExit(timeout: .seconds(10))
                // Another process may have taken the port in between: try another one.
                guard server.log.contains("Address already in use") else { throw error }
            }
        }
        throw lastError ?? HarnessError("serve did not start")
    }

    static func childEnvironment() -> [String: String] { ServerProcess.childEnvironment() }

    /// Waits up to `timeout` for `process` to end (polling; the process is ours).
    static func waitForExit(_ process: Process, timeout: Duration) -> Bool { ServerProcess.waitForExit(process, timeout: timeout) }
}

