import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A parsed JSON document for assertions: `json["user"]["id"].int`. A missing key or index
/// reads as `.missing`, distinct from an explicit `null`.
public enum JSON: Decodable, Sendable, Equatable, CustomStringConvertible {
    case missing
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSON].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSON].self)) }
    }

    public init(parsing bytes: some Sequence<UInt8>) throws {
        self = try JSONDecoder().decode(JSON.self, from: Data(bytes))
    }

    public subscript(key: String) -> JSON {
        if case .object(let o) = self { return o[key] ?? .missing }
        return .missing
    }

    public subscript(index: Int) -> JSON {
        if case .array(let a) = self, a.indices.contains(index) { return a[index] }
        return .missing
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var double: Double? { if case .number(let n) = self { n } else { nil } }
    public var int: Int? { double.flatMap { Int(exactly: $0) } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSON]? { if case .array(let a) = self { a } else { nil } }
    public var object: [String: JSON]? { if case .object(let o) = self { o } else { nil } }
    public var keys: Set<String> { Set(object?.keys.map { $0 } ?? []) }
    public var isNull: Bool { self == .null }
    public var exists: Bool { self != .missing }

    public var description: String {
        switch self {
        case .missing: "<missing>"
        case .null: "null"
        case .bool(let b): "\(b)"
        case .number(let n): "\(n)"
        case .string(let s): "\"\(s)\""
        case .array(let a): "[" + a.map(\.description).joined(separator: ",") + "]"
        case .object(let o): "{" + o.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
        }
    }
}

extension TestResponse {
    /// The body parsed as JSON (`.missing` when it is not JSON).
    public var json: JSON { (try? JSON(parsing: body.readableBytesView)) ?? .missing }
    /// The body as text.
    public var text: String { String(buffer: body) }
    /// `error.code` of an error body.
    public var errorCode: String? { json["error"]["code"].string }
    /// `error.message` of an error body.
    public var errorMessage: String { json["error"]["message"].string ?? "" }
}
