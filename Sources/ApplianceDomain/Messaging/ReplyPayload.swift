/// Quick-reply button payloads: opaque to the customer, unique per order, and naming the
/// decision: `swc:<tenant>:<order>:1` confirms, `...:2` cancels.
public enum ReplyPayload {
    public static func make(tenantID: Int, orderID: UInt64, decision: ReplyInterpreter.Decision) -> String {
        "swc:\(tenantID):\(orderID):\(decision == .confirm ? 1 : 2)"
    }

    /// The order and decision of a payload made for `tenantID`, or nil.
    public static func parse(_ payload: String, tenantID: Int) -> (orderID: UInt64, decision: ReplyInterpreter.Decision)? {
        let parts = payload.split(separator: ":")
        guard parts.count == 4, parts[0] == "swc", Int(parts[1]) == tenantID, let order = UInt64(parts[2]) else { return nil }
        switch parts[3] {
        case "1": return (order, .confirm)
        case "2": return (order, .cancel)
        default: return nil
        }
    }
}
