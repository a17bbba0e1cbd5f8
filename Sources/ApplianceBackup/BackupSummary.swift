/// What one backup wrote.
public struct BackupSummary: Sendable, Equatable {
    /// The archive's path.
    public var path: String = ""
    /// Tenant folders in the archive.
    public var tenants = 0
    /// Regular files in the archive.
    public var files = 0
    /// Bytes of file content copied (uncompressed).
    public var contentBytes: UInt64 = 0
    /// Size of the `.tar.gz`.
    public var archiveBytes: UInt64 = 0
    /// Times a tenant folder was listed again because a compaction removed a file meanwhile.
    public var relists = 0
    /// Browser-profile files copied (`--with-chrome`).
    public var chromeFiles = 0
    /// What was left out and why (one line each).
    public var skipped: [String] = []
    /// Wall time in seconds.
    public var seconds: Double = 0

    public init() {}
}
