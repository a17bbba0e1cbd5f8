import Foundation

extension ChromeDriverService {
    /// How to start chromedriver.
    public struct Configuration: Sendable {
        /// The chromedriver executable: a path, or a name looked up on `PATH`.
        public var executable: String
        /// Where chromedriver listens (always on loopback).
        public var port: Port
        /// Limit for chromedriver to answer `GET /status` with `ready`.
        public var startupTimeout: Duration
        /// Time processes get after SIGTERM before SIGKILL.
        public var shutdownGracePeriod: Duration
        /// Default time limit of one WebDriver command.
        public var commandTimeout: Duration
        /// Flags appended to chromedriver's command line.
        public var additionalArguments: [String]
        /// Variables set (or, with nil, removed) in the environment chromedriver and the browser inherit.
        public var environment: [String: String?]
        /// chromedriver's stdout and stderr. Nil writes them into ``ChromeDriverService/temporaryDirectory``
        /// (deleted on shutdown).
        public var logPath: String?
        /// A test seam given to the service's ``WebDriverClient`` (see ``WebDriverClient/AnswerHook``); nil by default.
        public var answerHook: WebDriverClient.AnswerHook?

        public init(executable: String = "chromedriver", port: Port = .automatic, startupTimeout: Duration = .seconds(20),
                    shutdownGracePeriod: Duration = .seconds(3), commandTimeout: Duration = .seconds(60),
                    additionalArguments: [String] = [], environment: [String: String?] = [:], logPath: String? = nil) {
            self.executable = executable
            self.port = port
            self.startupTimeout = startupTimeout
            self.shutdownGracePeriod = shutdownGracePeriod
            self.commandTimeout = commandTimeout
            self.additionalArguments = additionalArguments
            self.environment = environment
            self.logPath = logPath
        }

        /// Defaults, with the executable from `CHROMEDRIVER` (else `chromedriver` on `PATH`).
        public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Configuration {
            var configuration = Configuration()
            if let path = environment["CHROMEDRIVER"], !path.isEmpty { configuration.executable = path }
            return configuration
        }
    }

    /// How chromedriver's port is chosen.
    public enum Port: Sendable, Hashable {
        /// `--port=0`: chromedriver picks a free port and prints it (retried if the port is taken
        /// before chromedriver binds it).
        case automatic
        /// A port found free here by binding port 0 and closing it (retried if taken meanwhile).
        case freeLoopbackPort
        /// This port.
        case fixed(Int)
    }
}
