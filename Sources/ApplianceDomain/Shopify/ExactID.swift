/// A non-negative integer id decoded exactly: from a JSON integer or a string of digits.
/// A fractional or exponent number (a value that went through a float) is refused.
public struct ExactID: Decodable, Sendable, Equatable {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let v = try? c.decode(UInt64.self) {
            value = v
        } else if let s = try? c.decode(String.self), let v = UInt64(s) {
            value = v
        } else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an integer id")
        }
    }
}

/// A JSON value read as text: a string as is, a number or bool by its literal.
public struct FlexibleString: Decodable, Sendable, Equatable {
    public let value: String

    public init(_ value: String) { self.value = value }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            value = s
        } else if let i = try? c.decode(Int64.self) {
            value = String(i)
        } else if let d = try? c.decode(Double.self) {
            value = String(d)
        } else if let b = try? c.decode(Bool.self) {
            value = String(b)
        } else {
            value = ""
        }
    }
}
