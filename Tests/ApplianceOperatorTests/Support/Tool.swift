import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The outcome of one external command.
struct ToolResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String
    var description: String { "exit \(status)\nstdout: \(stdout.suffix(3000))\nstderr: \(stderr.suffix(3000))" }
    /// Lines of stderr that are not empty.
    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
}

/// Runs programs the tests need (the product's binary, gzip, tar, systemd-analyze, caddy,
/// shellcheck, the install scripts) to completion, with output captured in files.
enum Tool {
    /// The absolute path of `name` on PATH, or nil.
    static func find(_ name: String) -> String? {
        if name.hasPrefix("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`; killed after `timeout`.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil,
                    timeout: Duration = .seconds(300)) throws -> ToolResult {
        guard let path = find(executable) else { throw HarnessError("\(executable) is not installed") }
        let scratch = NSTemporaryDirectory() + "tool-\(UUID().uuidString.prefix(8))"
        let outPath = scratch + ".out", errPath = scratch + ".err"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for key in ["DATA_DIR", "PORT", "HOST", "PUBLIC_URL", "CHROME_DATA_DIR", "BACKUP_EVERY", "BACKUP_DIR", "BACKUP_KEEP"] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { $1 }
        process.environment = env
        if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw HarnessError("`\(executable) \(arguments.joined(separator: " "))` did not finish within \(timeout)")
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        return ToolResult(status: process.terminationStatus,
                          stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                          stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}
