import Foundation

/// Reads the sample payloads in `Tests/Fixtures`.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: root.appendingPathComponent(path)))
    }

    /// The order inside `{"order": ...}` of the REST fixture, as raw bytes.
    static func unwrappedOrder(_ path: String) throws -> [UInt8] {
        let object = try JSONSerialization.jsonObject(with: Data(try bytes(path))) as! [String: Any]
        return Array(try JSONSerialization.data(withJSONObject: object["order"]!))
    }
}
