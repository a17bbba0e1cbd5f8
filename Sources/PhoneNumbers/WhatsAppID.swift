/// A customer's WhatsApp id (`wa_id`, Meta's `from`) is their number as WhatsApp registered it,
/// which for a few countries differs from the E.164 number we sent to: Mexican mobiles carry a
/// `1` after `52`, older Brazilian mobiles lack the ninth digit, Argentine mobiles may or may not
/// carry the `9` after `54`. These are the E.164 spellings a `wa_id` may stand for.
public enum WhatsAppID {
    /// `sender` (with `+`) first, then its equivalent spellings.
    public static func phoneCandidates(_ sender: String) -> [String] {
        let digits = String(sender.drop { $0 == "+" })
        var out = ["+" + digits]
        func add(_ d: String) { if !out.contains("+" + d) { out.append("+" + d) } }
        if digits.hasPrefix("521"), digits.count == 13 {
            add("52" + digits.dropFirst(3))
        } else if digits.hasPrefix("52"), digits.count == 12 {
            add("521" + digits.dropFirst(2))
        }
        if digits.hasPrefix("55"), digits.count == 12, let first = digits.dropFirst(4).first, "6789".contains(first) {
            add("55" + digits.dropFirst(2).prefix(2) + "9" + digits.dropFirst(4))
        } else if digits.hasPrefix("55"), digits.count == 13, digits.dropFirst(4).first == "9" {
            add("55" + digits.dropFirst(2).prefix(2) + digits.dropFirst(5))
        }
        if digits.hasPrefix("549"), digits.count == 13 {
            add("54" + digits.dropFirst(3))
        } else if digits.hasPrefix("54"), digits.count == 12 {
            add("549" + digits.dropFirst(2))
        }
        return out
    }
}
