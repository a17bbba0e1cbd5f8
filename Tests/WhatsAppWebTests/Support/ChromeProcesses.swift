import ApplianceHTTPTestSupport
import ApplianceWhatsAppWeb
import Foundation
import Synchronization
import Testing
import WebDriver

#if canImport(Glibc)
import Glibc
#endif

/// Chromium and chromedriver processes as `/proc` shows them.
enum ChromeProcesses {
    /// chromedriver and Chromium must be installed: a missing tool fails the test (CI installs them).
    static func requireTools() throws {
        let env = ProcessInfo.processInfo.environment
        let driver = ChromeDriverService.Configuration.fromEnvironment().executable
        let browser = ChromeOptions.fromEnvironment().binary ?? "chromium"
        for tool in [driver, browser] where !isExecutable(tool, env: env) {
            throw TestFailure("`\(tool)` not found: install chromium and chromium-driver (Debian) or set CHROMEDRIVER / CHROME_BINARY")
        }
    }

    static func isExecutable(_ name: String, env: [String: String]) -> Bool {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) }
        return (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(name)") }
    }

    /// Live browser main processes (not renderers or helpers) whose profile is below `folder`,
    /// by pid, with their profile.
    static func browsers(under folder: String) -> [Int32: String] {
        var found: [Int32: String] = [:]
        for pid in allPIDs() where isAlive(pid) {
            guard let args = commandLine(pid), !args.contains(where: { $0.hasPrefix("--type=") }) else { continue }
            guard let dir = args.first(where: { $0.hasPrefix("--user-data-dir=") })?.dropFirst("--user-data-dir=".count),
                  dir.hasPrefix(folder) else { continue }
            found[pid] = String(dir)
        }
        return found
    }

    /// Live processes whose command line mentions `folder` (browsers and their helpers).
    static func processes(mentioning folder: String) -> [Int32] {
        allPIDs().filter { pid in isAlive(pid) && (commandLine(pid)?.contains { $0.contains(folder) } ?? false) }
    }

    /// Every process the app's browsers reported, and every process using its profiles, has ended.
    static func expectAllGone(_ app: WebTestApp, sourceLocation: SourceLocation = #_sourceLocation) async {
        let reported = await app.web.processIDs()
        let alive = reported.filter(isAlive).sorted()
        #expect(alive.isEmpty, "still alive: \(alive.map { "\($0) \(describe($0))" })", sourceLocation: sourceLocation)
        let using = processes(mentioning: app.chromeDir)
        #expect(using.isEmpty, "still using the profiles: \(using.map { "\($0) \(describe($0))" })", sourceLocation: sourceLocation)
    }

    static func allPIDs() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func commandLine(_ pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { return nil }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Alive and not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)...].first
        return state != "Z" && state != "X"
    }

    static func describe(_ pid: Int32) -> String {
        String((commandLine(pid) ?? ["?"]).joined(separator: " ").prefix(160))
    }
}

/// Watches how many browsers run at once below a folder, sampling `/proc` until stopped.
final class BrowserConcurrencyProbe: Sendable {
    private let state = Mutex<(peak: Int, profiles: Set<String>, stop: Bool)>((0, [], false))
    private let task = Mutex<Task<Void, Never>?>(nil)

    /// Starts sampling the browsers below `folder`.
    static func start(folder: String) -> BrowserConcurrencyProbe {
        let probe = BrowserConcurrencyProbe()
        probe.task.withLock { $0 = Task.detached { await probe.sample(folder) } }
        return probe
    }

    private func sample(_ folder: String) async {
        while !state.withLock({ $0.stop }) {
            let browsers = ChromeProcesses.browsers(under: folder)
            state.withLock { s in
                s.peak = max(s.peak, Set(browsers.values).count)
                s.profiles.formUnion(browsers.values)
            }
            try? await Task.sleep(for: .milliseconds(40))
        }
    }

    /// Stops sampling; returns the most browsers seen at once and every profile seen.
    func stop() async -> (peak: Int, profiles: Set<String>) {
        state.withLock { $0.stop = true }
        await task.withLock { $0 }?.value
        return state.withLock { ($0.peak, $0.profiles) }
    }
}

/// A test set-up failure with a readable message.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
