/// A JSON value as WebDriver sends and receives it: script arguments and results, capabilities,
/// command bodies. Numbers are `Double` (exact for integers up to 2^53).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The string, or nil for any other kind.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }

    /// The boolean, or nil for any other kind.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }

    /// The number, or nil for any other kind.
    public var doubleValue: Double? { if case .number(let n) = self { n } else { nil } }

    /// The number as an `Int` when it is integral and in range, else nil.
    public var intValue: Int? {
        guard case .number(let n) = self, n.rounded() == n, let i = Int(exactly: n) else { return nil }
        return i
    }

    /// The elements, or nil for any other kind.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// The members, or nil for any other kind.
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    /// True for `null`.
    public var isNull: Bool { self == .null }

    /// The member named `key` of an object; nil when absent or not an object.
    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(index) else { return nil }
        return a[index]
    }
}
