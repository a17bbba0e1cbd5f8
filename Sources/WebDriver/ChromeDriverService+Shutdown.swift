import Foundation
import Logging
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

extension ChromeDriverService {
    /// Ends every open session, then stops chromedriver and every process it started: SIGTERM to
    /// its process group and marked descendants, SIGKILL to what is left after the grace period.
    ///
    /// Safe to call more than once and from several tasks (all wait for the same shutdown). It
    /// runs to completion even when the calling task is cancelled.
    public func shutdown() async {
        let task = state.withLock { state -> Task<Void, Never> in
            if let task = state.shutdown { return task }
            let sessions = Array(state.sessions.values)
            state.sessions.removeAll()
            let task = Task { await self.performShutdown(ending: sessions) }
            state.shutdown = task
            return task
        }
        await task.value
    }

    private func performShutdown(ending sessions: [WebDriverSession]) async {
        for session in sessions {
            await Self.endQuietly(session, limit: min(configuration.commandTimeout, .seconds(15)), logger: logger)
        }
        await Self.terminate(process, marker: marker, grace: configuration.shutdownGracePeriod, logger: logger)
        try? FileManager.default.removeItem(atPath: temporaryDirectory)
        logger.info("chromedriver stopped", metadata: ["pid": "\(process.pid)"])
    }

    /// Deletes `session`, logging instead of throwing (cleanup paths).
    static func endQuietly(_ session: WebDriverSession, limit: Duration, logger: Logger) async {
        do {
            try await session.client.send(.delete, "/session/\(session.id)", timeout: limit)
        } catch let error as WebDriverError where error.code == .invalidSessionID {
            return
        } catch {
            logger.warning("could not end WebDriver session", metadata: ["session": "\(session.id)", "error": "\(error)"])
        }
    }

    /// Stops `process`, its process group and every live process carrying `marker`.
    static func terminate(_ process: ChildProcess, marker: String, grace: Duration, logger: Logger) async {
        func remaining() -> [pid_t] {
            var pids = Set(ProcessTable.members(ofGroup: process.pid))
            pids.formUnion(ProcessTable.processes(withEnvironmentEntry: marker))
            if !process.hasExited { pids.insert(process.pid) }
            return pids.sorted()
        }
        func signalAll(_ signal: Int32) {
            process.signalGroup(signal)
            for pid in ProcessTable.processes(withEnvironmentEntry: marker) { kill(pid, signal) }
        }
        if remaining().isEmpty { return }
        signalAll(SIGTERM)
        if await waitUntilEmpty(remaining, within: grace) { return }
        logger.warning("processes ignored SIGTERM; sending SIGKILL", metadata: ["pids": "\(remaining())"])
        signalAll(SIGKILL)
        if await waitUntilEmpty(remaining, within: .seconds(5)) { return }
        logger.error("processes survived SIGKILL", metadata: ["pids": "\(remaining())"])
    }

    /// Polls `pids` until it is empty (true) or `limit` passes (false). Ignores cancellation.
    static func waitUntilEmpty(_ pids: () -> [pid_t], within limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while true {
            if pids().isEmpty { return true }
            if clock.now >= deadline { return false }
            // A cancelled task's sleep returns at once; fall back to a blocking pause then.
            do { try await Task.sleep(for: .milliseconds(20)) } catch { usleep(20_000) }
        }
    }
}
