import CZlib

/// One file of the dashboard: its bytes, media type and validator.
public struct DashboardAsset: Sendable {
    /// The file name (`app.js`).
    public let name: String
    /// The file's bytes.
    public let bytes: [UInt8]
    /// The `Content-Type` to serve it with.
    public let contentType: String
    /// A strong `ETag` derived from the content (CRC-32 and length), quoted.
    public let etag: String

    /// An asset named `name` holding `bytes`.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        self.bytes = bytes
        self.contentType = Self.contentType(for: name)
        let crc = bytes.withUnsafeBufferPointer { buffer in
            crc32(0, buffer.baseAddress, uInt(buffer.count))
        }
        self.etag = "\"" + String(crc, radix: 16) + "-" + String(bytes.count, radix: 16) + "\""
    }

    /// The media type of a file name by its extension.
    static func contentType(for name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "json", "webmanifest": "application/json"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
