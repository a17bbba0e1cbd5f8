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

    /// The largest tenant id (ids are 1 to 2^31−1 everywhere: folders, URLs, job keys).
    public static let maxTenantID = Int(Int32.max)

    /// The tenant id `name` spells (a folder `<user_id>` or a URL's `{user_id}`): canonical
    /// decimal from 1 to ``maxTenantID``; anything else (`01`, `+1`, `2147483648`) is nil.
    public static func tenantID(folder name: some StringProtocol) -> Int? {
        // Read digit by digit (every webhook asks: `Int(_:)` on a generic string is slower).
        var id = 0
        var digits = 0
        for byte in name.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 10 else { return nil }
            if digits == 0, byte == UInt8(ascii: "0") { return nil }
            id = id * 10 + Int(byte - UInt8(ascii: "0"))
            digits += 1
        }
        guard digits > 0, id <= maxTenantID else { return nil }
        return id
    }

    /// The global files the root may hold beside the tenant folders (and their `.tmp` while
    /// being replaced).
    public static let globalFiles: Set<String> = ["format.json", "jwt.key", ".lock", "invites.jsonl"]

    /// Entries of the root that are neither a tenant folder nor a known global file: logged and
    /// ignored at boot, reported by `check`.
    public func unknownEntries() throws -> [String] {
        try fs.contentsOfDirectory(at: root).filter { name in
            if Self.globalFiles.contains(name) { return false }
            if name.hasSuffix(".tmp"), Self.globalFiles.contains(String(name.dropLast(4))) { return false }
            return !(Self.tenantID(folder: name) != nil && fs.isDirectory(root + "/" + name))
        }.sorted()
    }
}
