import AsyncHTTPClient
import Foundation
import Logging
import Synchronization

extension ChromeDriverService {
    /// Starts a browser session. End it with ``endSession(_:)``; ``shutdown()`` ends any left.
    /// - Throws: ``WebDriverError`` `.sessionNotCreated` when Chrome cannot start (the message
    ///   mentions a leftover profile lock if there is one), `.serviceShutDown` after shutdown.
    public func newSession(_ options: ChromeOptions = .fromEnvironment()) async throws -> WebDriverSession {
        guard isRunning else {
            throw WebDriverError(.serviceShutDown, "chromedriver (pid \(processID)) is \(process.hasExited ? "not running" : "shutting down")")
        }
        let capabilities = try options.resolvedCapabilities()
        if let policy = options.clearsStaleProfileLock, let profile = options.userDataDirectory {
            switch try ChromeProfileLock.clearStale(in: profile, otherHosts: policy) {
            case .inUse(let pid):
                throw WebDriverError(.sessionNotCreated, "profile \(profile) is in use by Chrome (pid \(pid))")
            case .removedStale(let lock):
                logger.info("removed a stale Chrome profile lock", metadata: ["profile": "\(profile)", "lock": "\(lock)"])
            case .unlocked, .lockedByOtherHost:
                break
            }
        }
        let session: WebDriverSession
        do {
            session = try await WebDriverSession.create(client: client, capabilities: capabilities)
        } catch let error as WebDriverError where error.code == .sessionNotCreated {
            throw WebDriverError(error.code, error.message + Self.profileHint(options), httpStatus: error.httpStatus, command: error.command)
        }
        let tracked = state.withLock { state in
            guard state.shutdown == nil else { return false }
            state.sessions[session.id] = session
            return true
        }
        guard tracked else {
            await Self.endQuietly(session, limit: .seconds(10), logger: logger)
            throw WebDriverError(.serviceShutDown, "chromedriver was shut down while the session started")
        }
        logger.debug("WebDriver session started", metadata: ["session": "\(session.id)", "browser.pid": "\(session.browserProcessID ?? 0)"])
        return session
    }

    /// Ends `session` (the browser closes and flushes its profile). Never throws: failures are
    /// logged, and ``shutdown()`` kills whatever is left. Runs to completion even when the calling
    /// task is cancelled.
    public func endSession(_ session: WebDriverSession) async {
        _ = state.withLock { $0.sessions.removeValue(forKey: session.id) }
        let limit = min(configuration.commandTimeout, .seconds(15))
        let logger = self.logger
        await Task { await Self.endQuietly(session, limit: limit, logger: logger) }.value
    }

    /// Runs `body` with a new session and ends the session afterwards, whether `body` returns,
    /// throws or is cancelled.
    public func withSession<T>(_ options: ChromeOptions = .fromEnvironment(), isolation: isolated (any Actor)? = #isolation,
                               _ body: (WebDriverSession) async throws -> T) async throws -> T {
        let session = try await newSession(options)
        let result: T
        do {
            result = try await body(session)
        } catch {
            await endSession(session)
            throw error
        }
        await endSession(session)
        return result
    }

    /// Starts chromedriver, runs `body`, and shuts it down afterwards (with every browser it
    /// started), whether `body` returns, throws or is cancelled.
    public static func withService<T>(_ configuration: Configuration = .fromEnvironment(),
                                      httpClient: HTTPClient = WebDriverClient.defaultHTTPClient,
                                      logger: Logger = Logger(label: "WebDriver"), isolation: isolated (any Actor)? = #isolation,
                                      _ body: (ChromeDriverService) async throws -> T) async throws -> T {
        let service = try await start(configuration, httpClient: httpClient, logger: logger)
        let result: T
        do {
            result = try await body(service)
        } catch {
            await service.shutdown()
            throw error
        }
        await service.shutdown()
        return result
    }

    static func profileHint(_ options: ChromeOptions) -> String {
        guard let dir = options.userDataDirectory,
              let target = try? FileManager.default.destinationOfSymbolicLink(atPath: dir + "/SingletonLock") else { return "" }
        return " (profile \(dir) has SingletonLock → \(target); if no Chrome uses it, ChromeProfileLock.clearStale(in:) removes it)"
    }
}
