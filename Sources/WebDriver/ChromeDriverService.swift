import AsyncHTTPClient
import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A chromedriver process and every browser it starts, with guaranteed cleanup.
///
/// chromedriver runs as the leader of its own process group, which its Chrome processes inherit,
/// and with a marker variable in its environment, which Chrome's crash handler (which leaves
/// the group) inherits. ``shutdown()`` ends all sessions, then sends SIGTERM to both sets and
/// SIGKILL after the grace period.
///
/// Prefer the scoped forms, which shut down on return, error and cancellation:
/// ```swift
/// try await ChromeDriverService.withService { service in
///     try await service.withSession(options) { session in … }
/// }
/// ```
public final class ChromeDriverService: Sendable {
    /// `http://127.0.0.1:<port>`.
    public let url: String
    public let port: Int
    /// chromedriver's pid, also the id of its process group.
    public var processID: Int32 { process.pid }
    /// Transport to this chromedriver, for sessions made here or by hand.
    public let client: WebDriverClient
    /// Where chromedriver's output goes.
    public let logPath: String
    /// A private directory given to chromedriver and the browsers as `TMPDIR` (throwaway
    /// profiles, Chrome's socket directories). Deleted on shutdown.
    public let temporaryDirectory: String
    let configuration: Configuration
    let process: ChildProcess
    /// `NAME=value` placed in chromedriver's environment, found again in its descendants'.
    let marker: String
    let logger: Logger
    let state = Mutex(State())

    struct State {
        var sessions: [String: WebDriverSession] = [:]
        var shutdown: Task<Void, Never>?
    }

    init(configuration: Configuration, process: ChildProcess, port: Int, marker: String, logPath: String,
         temporaryDirectory: String, httpClient: HTTPClient, logger: Logger) {
        self.configuration = configuration
        self.process = process
        self.port = port
        self.url = "http://127.0.0.1:\(port)"
        self.marker = marker
        self.logPath = logPath
        self.temporaryDirectory = temporaryDirectory
        self.logger = logger
        self.client = WebDriverClient(baseURL: url, httpClient: httpClient, commandTimeout: configuration.commandTimeout, logger: logger,
                                      answerHook: configuration.answerHook)
    }

    /// A safety net for a service dropped without ``shutdown()``: kill what it started.
    deinit {
        guard state.withLock({ $0.shutdown == nil }) else { return }
        if !process.hasExited || !ProcessTable.members(ofGroup: process.pid).isEmpty {
            logger.warning("ChromeDriverService dropped without shutdown(); killing its processes", metadata: ["pid": "\(process.pid)"])
            process.signalGroup(SIGKILL)
            for pid in ProcessTable.processes(withEnvironmentEntry: marker) { kill(pid, SIGKILL) }
            for _ in 0..<100 where !process.hasExited { usleep(10_000) }  // reap chromedriver (≤ 1 s)
        }
        try? FileManager.default.removeItem(atPath: temporaryDirectory)
    }

    /// False once chromedriver has exited or ``shutdown()`` has begun.
    public var isRunning: Bool {
        state.withLock { $0.shutdown == nil } && !process.hasExited
    }

    /// Sessions started here and not yet ended.
    public var openSessions: [WebDriverSession] {
        state.withLock { Array($0.sessions.values) }
    }

    /// Live processes this service started: chromedriver, the browsers and their helpers.
    public func processIDs() -> [Int32] {
        var pids = Set(ProcessTable.members(ofGroup: process.pid))
        pids.formUnion(ProcessTable.processes(withEnvironmentEntry: marker))
        if !process.hasExited { pids.insert(process.pid) }
        return pids.sorted()
    }

    /// chromedriver's output so far (the last 64 KiB at most).
    public var log: String {
        guard let bytes = ProcessTable.read(logPath) else { return "" }
        return String(decoding: bytes.suffix(64 << 10), as: UTF8.self)
    }
}
