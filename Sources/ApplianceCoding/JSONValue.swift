/// A decoded JSON value that keeps null, booleans, numbers, strings, arrays and objects apart.
///
/// Used where an absent field, `null` and a value all mean different things (partial settings
/// updates), and for what WebDriver sends and receives (script arguments and results,
/// capabilities, command bodies). Numbers are `Double` (exact for integers up to 2^53).
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object (member order is not kept).
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
