/// Opaque, tamper-evident page cursors: the arrival position plus a MAC over the tenant and
/// position, so a cursor this server did not give is recognised and refused.
public struct OrderCursor: Sendable {
    let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// The cursor string for continuing below `position` in tenant `tenantID`.
    public func encode(position: Int, tenantID: Int) -> String {
        "\(position).\(mac(position: position, tenantID: tenantID))"
    }

    /// The position of a cursor this server gave for `tenantID`; nil when it is not one.
    public func decode(_ cursor: String, tenantID: Int) -> Int? {
        let parts = cursor.split(separator: ".", maxSplits: 1)
        guard parts.count == 2, let position = Int(parts[0]), position >= 0,
              HMACSHA256.constantTimeEquals(Array(parts[1].utf8), Array(mac(position: position, tenantID: tenantID).utf8))
        else { return nil }
        return position
    }

    func mac(position: Int, tenantID: Int) -> String {
        let code = HMACSHA256.authenticationCode(for: Array("cursor:\(tenantID):\(position)".utf8), key: key)
        return code.prefix(8).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}
