import Foundation

/// The dashboard's static files: embedded in the binary at build time (`Resources/`, by the
/// EmbedDashboard plugin), or read from a folder on every request for development
/// (`serve --dashboard-dir`), so edits show on reload without a rebuild.
public struct DashboardAssets: Sendable {
    enum Source: Sendable {
        case embedded([String: DashboardAsset])
        case directory(String)
    }

    let source: Source

    /// The assets compiled into this binary.
    public static let builtIn = DashboardAssets(source: .embedded(decodeEmbedded()))

    /// A fingerprint of every embedded file (nil when reading from a folder): pages name their
    /// assets under `/assets/v/<version>/`, so browsers may cache them for good and an upgrade
    /// changes every URL at once.
    public var version: String? {
        guard case .embedded(let assets) = source else { return nil }
        let all = assets.keys.sorted().map { $0 + "=" + assets[$0]!.etag }.joined(separator: ";")
        return DashboardAsset(name: "version", bytes: Array(all.utf8)).etag.filter { $0 != "\"" }
    }

    /// Assets read from `directory` on each request.
    public init(directory: String) {
        source = .directory(directory)
    }

    init(source: Source) {
        self.source = source
    }

    /// The names of the embedded files.
    public var names: [String] {
        switch source {
        case .embedded(let assets): assets.keys.sorted()
        case .directory(let path): ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter(Self.isValidName).sorted()
        }
    }

    /// The asset called `name`, or nil when there is none (or the name is not a plain file name).
    public func asset(named name: String) -> DashboardAsset? {
        guard Self.isValidName(name) else { return nil }
        switch source {
        case .embedded(let assets):
            return assets[name]
        case .directory(let path):
            guard let data = FileManager.default.contents(atPath: path + "/" + name) else { return nil }
            return DashboardAsset(name: name, bytes: [UInt8](data))
        }
    }

    /// Plain file names only: letters, digits, `.`, `-`, `_`; no leading dot.
    static func isValidName(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 128, name.utf8.first != UInt8(ascii: ".") else { return false }
        return name.utf8.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
                || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") || c == UInt8(ascii: "_")
        }
    }

    static func decodeEmbedded() -> [String: DashboardAsset] {
        var assets: [String: DashboardAsset] = [:]
        for (name, base64) in embedded {
            guard let data = Data(base64Encoded: base64) else { continue }
            assets[name] = DashboardAsset(name: name, bytes: [UInt8](data))
        }
        return assets
    }
}
