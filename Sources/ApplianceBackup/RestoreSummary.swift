/// What one restore wrote and verified.
public struct RestoreSummary: Sendable, Equatable {
    /// Tenant folders restored and verified.
    public var tenants = 0
    /// Orders found in them by the verifying read.
    public var orders = 0
    /// Regular files written.
    public var files = 0
    /// Bytes of file content written.
    public var contentBytes: UInt64 = 0
    /// Browser-profile files restored (or skipped without a target for them).
    public var chromeFiles = 0
    public var chromeFilesSkipped = 0
    /// Findings that do not stop the restore (a torn last record, cut at the next start).
    public var warnings: [String] = []
    /// Wall time in seconds.
    public var seconds: Double = 0

    public init() {}
}
