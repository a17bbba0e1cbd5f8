import ApplianceCloudAPI
import ApplianceDomain
import ApplianceStorage
import Foundation
import Logging
import Prometheus

/// The seams the composition root plugs in: clocks, files, password hashing, the Cloud API's
/// HTTP client, providers and metrics. Defaults are what `serve` uses; tests replace some.
public struct ApplianceDependencies: Sendable {
    public var logger: Logger
    /// The scheduler's clock (and everyone's, unless ``wallClock`` is set).
    public var clock: any SchedulerClock = SystemSchedulerClock()
    /// The tenants' and tokens' clock, when it differs from the scheduler's.
    public var wallClock: (any WallClock)?
    /// The file system under the journals.
    public var fs: any FileSystem = PosixFileSystem()
    /// Argon2id parameters (tests make them cheap).
    public var hasher: PasswordHasher = .owasp
    /// The Cloud API's HTTP client.
    public var transport: any HTTPTransport = AsyncHTTPTransport()
    /// Replaces the providers entirely (default: log, Cloud API, WhatsApp Web when wired).
    public var providers: [Settings.Provider: any MessageProvider]?
    /// Where `/metrics` reads from; nil → no `/metrics` route.
    public var metrics: PrometheusCollectorRegistry?
    /// Called when `fdatasync` fails: acknowledged data might be lost, so `serve` exits.
    public var onFatal: @Sendable (StorageError) -> Void

    public init(logger: Logger, onFatal: (@Sendable (StorageError) -> Void)? = nil) {
        self.logger = logger
        self.onFatal = onFatal ?? { error in
            logger.critical("fsync failed: acknowledged data may not be on disk; stopping now", metadata: ["error": "\(error)"])
            FileHandle.standardError.write(Data("fatal: fsync failed: \(error)\n".utf8))
            exit(70)
        }
    }
}
