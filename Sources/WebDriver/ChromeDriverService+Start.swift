import ApplianceCoding
import AsyncHTTPClient
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

extension ChromeDriverService {
    /// The environment variable that marks processes started by a service.
    static let markerName = "WEBDRIVER_SERVICE_ID"

    /// Starts chromedriver and waits until it is ready for sessions.
    ///
    /// - Parameters:
    ///   - configuration: executable, port choice, time limits.
    ///   - httpClient: client for the WebDriver commands; ``WebDriverClient/defaultHTTPClient`` unless given.
    ///   - logger: process start and stop at info level, commands at debug level.
    /// - Throws: ``WebDriverError`` `.launchFailed` when chromedriver is missing, `.driverNotReady`
    ///   when it exits or does not become ready in time (its output is in the message).
    ///   Nothing is left running when this throws.
    public static func start(_ configuration: Configuration = .fromEnvironment(),
                             httpClient: HTTPClient = WebDriverClient.defaultHTTPClient,
                             logger: Logger = Logger(label: "WebDriver")) async throws -> ChromeDriverService {
        let environment = ProcessInfo.processInfo.environment
        guard let executable = ExecutableLookup.find(configuration.executable, environment: environment) else {
            throw WebDriverError(.launchFailed,
                                 "chromedriver `\(configuration.executable)` not found or not executable (PATH=\(environment["PATH"] ?? "")); "
                                 + "install chromium-driver or set CHROMEDRIVER")
        }
        // A port found free may be taken before chromedriver binds it (chromedriver's own `--port=0`
        // search has the same race): try again.
        let attempts: Int
        if case .fixed = configuration.port { attempts = 1 } else { attempts = 3 }
        var attempt = 1
        while true {
            do {
                return try await launch(executable, configuration, environment: environment, httpClient: httpClient, logger: logger)
            } catch let error as WebDriverError where attempt < attempts && error.code == .driverNotReady
                && ["Address already in use", "bind() failed", "port not available"].contains(where: error.message.contains) {
                logger.debug("chromedriver port was taken; retrying", metadata: ["attempt": "\(attempt)"])
                attempt += 1
            }
        }
    }

    /// One attempt: spawn chromedriver and wait until it is ready; on failure nothing is left behind.
    static func launch(_ executable: String, _ configuration: Configuration, environment: [String: String], httpClient: HTTPClient,
                       logger: Logger) async throws -> ChromeDriverService {
        // Short: Chrome puts a Unix socket below it (108-byte path limit).
        let scratch = (NSTemporaryDirectory() as NSString).appendingPathComponent("webdriver-\(UUID().uuidString.prefix(8))")
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw WebDriverError(.launchFailed, "cannot create \(scratch): \(error)")
        }
        let markerValue = UUID().uuidString
        var childEnvironment = environment
        childEnvironment["TMPDIR"] = scratch
        for (key, value) in configuration.environment { childEnvironment[key] = value }
        childEnvironment[markerName] = markerValue
        let logPath = configuration.logPath ?? scratch + "/chromedriver.log"
        let process: ChildProcess, requestedPort: Int
        do {
            switch configuration.port {
            case .automatic: requestedPort = 0
            case .fixed(let port): requestedPort = port
            case .freeLoopbackPort: requestedPort = try freeLoopbackPort()
            }
            process = try ChildProcess.spawn(executable: executable, arguments: ["--port=\(requestedPort)"] + configuration.additionalArguments,
                                             environment: childEnvironment, outputPath: logPath)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
        let marker = "\(markerName)=\(markerValue)"
        logger.info("chromedriver started", metadata: ["pid": "\(process.pid)", "executable": "\(executable)"])
        do {
            let port = try await waitUntilReady(process, requestedPort: requestedPort, logPath: logPath,
                                                configuration: configuration, httpClient: httpClient)
            logger.info("chromedriver ready", metadata: ["pid": "\(process.pid)", "port": "\(port)"])
            return ChromeDriverService(configuration: configuration, process: process, port: port, marker: marker,
                                       logPath: logPath, temporaryDirectory: scratch, httpClient: httpClient, logger: logger)
        } catch {
            await Task { await terminate(process, marker: marker, grace: configuration.shutdownGracePeriod, logger: logger) }.value
            let log = String(decoding: (ProcessTable.read(logPath) ?? []).suffix(4000), as: UTF8.self)
            try? FileManager.default.removeItem(atPath: scratch)
            if let error = error as? WebDriverError {
                throw WebDriverError(error.code, "\(error.message)\nchromedriver output:\n\(log)")
            }
            throw error
        }
    }

    /// Polls until chromedriver answers `GET /status` with `ready: true`; returns its port.
    static func waitUntilReady(_ process: ChildProcess, requestedPort: Int, logPath: String, configuration: Configuration,
                               httpClient: HTTPClient) async throws -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.startupTimeout
        var port: Int? = requestedPort == 0 ? nil : requestedPort
        var lastProblem = "no answer yet"
        while clock.now < deadline {
            if let status = process.exitDescription {
                throw WebDriverError(.driverNotReady, "chromedriver exited (\(status)) before it was ready")
            }
            if port == nil { port = reportedPort(in: logPath) }
            if let port {
                let client = WebDriverClient(baseURL: "http://127.0.0.1:\(port)", httpClient: httpClient, commandTimeout: .seconds(2))
                do {
                    let status = try await client.send(.get, "/status")
                    if status["ready"]?.boolValue == true { return port }
                    lastProblem = "status: \(status)"
                } catch let error as WebDriverError {
                    lastProblem = error.message
                }
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let portText = port.map { "port \($0)" } ?? "port not reported"
        throw WebDriverError(.driverNotReady, "chromedriver not ready within \(configuration.startupTimeout) (\(portText)): \(lastProblem)")
    }

    /// The port in chromedriver's "ChromeDriver was started successfully on port N." line.
    static func reportedPort(in logPath: String) -> Int? {
        guard let bytes = ProcessTable.read(logPath) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: "started successfully on port ") else { return nil }
        let digits = text[range.upperBound...].prefix(while: \.isNumber)
        return Int(digits).flatMap { $0 > 0 ? $0 : nil }
    }

    /// A loopback port that was free a moment ago (bind port 0, read it, close).
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WebDriverError(.launchFailed, "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                bind(fd, sa, length) == 0 && getsockname(fd, sa, &length) == 0
            }
        }
        guard bound else { throw WebDriverError(.launchFailed, "cannot bind a loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
