import ApplianceStorage
import Foundation

/// The data root: a format marker, the token signing key, and one folder per tenant
/// (`<root>/<user_id>/`). The root holds no tenant data.
public struct DataDirectory: Sendable {
    public let root: String
    public let fs: any FileSystem

    /// The on-disk format this binary reads and writes.
    public static let formatVersion = 1

    public init(root: String, fs: any FileSystem = PosixFileSystem()) {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
        self.fs = fs
    }

    var formatPath: String { root + "/format.json" }
    var keyPath: String { root + "/jwt.key" }

    /// The folder of tenant `id`.
    public func tenantPath(_ id: Int) -> String { root + "/\(id)" }

    /// Whether the root has been initialised.
    public var isInitialized: Bool { fs.exists(formatPath) }

    /// Creates the root (0700), the format marker and a random 256-bit signing key (0600) if
    /// absent. Idempotent. Returns whether anything was created.
    @discardableResult
    public func initialize(now: Int64 = SystemWallClock().now()) throws -> Bool {
        var created = false
        if !fs.isDirectory(root) {
            try fs.createDirectory(at: root)
            created = true
        } else {
            // A copied folder (`cp -r data.example data`, a git checkout) may be readable by
            // others; the data root is always 0700.
            try? fs.setPermissions(0o700, at: root)
        }
        if !fs.exists(keyPath) {
            try fs.writeAtomically(SecureRandom.bytes(32), to: keyPath)
            created = true
        }
        if !fs.exists(formatPath) {
            let marker = #"{"format":\#(Self.formatVersion),"created_at":"\#(Timestamp.format(now))"}"# + "\n"
            try fs.writeAtomically(Array(marker.utf8), to: formatPath)
            created = true
        } else {
            try checkFormat()
        }
        return created
    }

    /// Refuses a data directory written by an incompatible version.
    public func checkFormat() throws {
        let bytes = try fs.readFile(at: formatPath)
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              let format = object["format"] as? Int else {
            throw DomainError(.invalid, "\(formatPath) is not a format marker")
        }
        guard format == Self.formatVersion else {
            throw DomainError(.invalid, "data directory format \(format) is not supported by this binary (expects \(Self.formatVersion))")
        }
    }

    /// The token signing key.
    public func signingKey() throws -> [UInt8] {
        let key = try fs.readFile(at: keyPath)
        guard key.count >= 32 else { throw DomainError(.invalid, "\(keyPath) is shorter than 256 bits") }
        return key
    }

    /// The ids of every tenant folder, ascending.
    public func tenantIDs() throws -> [Int] {
        try fs.contentsOfDirectory(at: root).compactMap { name in
            guard let id = Self.tenantID(folder: name), fs.isDirectory(root + "/" + name) else { return nil }
            return id
        }.sorted()
    }

    /// The tenant id a folder named `name` holds (`<user_id>`, canonical decimal, above 0), or nil.
    public static func tenantID(folder name: String) -> Int? {
        guard let id = Int(name), id > 0, String(id) == name else { return nil }
        return id
    }
}
