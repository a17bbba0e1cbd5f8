import Foundation

/// Reads a customer's reply as confirm, cancel or neither: numbered choices ("1", "2") and
/// yes/no, confirm/cancel words in English, Spanish, French, Portuguese and Arabic.
public enum ReplyInterpreter {
    /// What a reply decides.
    public enum Decision: Sendable, Equatable { case confirm, cancel }

    static let confirmWords: Set<String> = [
        "1", "yes", "y", "yeah", "yep", "ok", "okay", "confirm", "confirmed", "i confirm",
        "si", "sí", "confirmar", "confirmo", "confirmado",
        "oui", "confirmer", "je confirme", "confirme", "confirmé",
        "sim", "confirmada",
        "نعم", "اكيد", "أكيد", "تأكيد", "تاكيد", "اكد", "أكد", "أؤكد", "موافق", "١",
    ]
    static let cancelWords: Set<String> = [
        "2", "no", "n", "nope", "cancel", "cancelled", "canceled", "cancel it",
        "cancelar", "cancelo", "cancelado", "anular",
        "non", "annuler", "annule", "annulé", "annulez",
        "não", "nao", "cancela", "cancelada",
        "لا", "إلغاء", "الغاء", "الغي", "ألغي", "الغ", "٢",
    ]

    /// The decision of `text`, or nil when it decides nothing.
    public static func decide(_ text: String) -> Decision? {
        let cleaned = text.lowercased()
            .trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols))
            .replacingOccurrences(of: "\u{200F}", with: "").replacingOccurrences(of: "\u{200E}", with: "")
        let collapsed = cleaned.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if confirmWords.contains(collapsed) { return .confirm }
        if cancelWords.contains(collapsed) { return .cancel }
        // A leading choice number followed by words ("1 please", "2 - wrong size").
        if let first = collapsed.split(separator: " ").first.map(String.init) {
            if first == "1" || first == "١" { return .confirm }
            if first == "2" || first == "٢" { return .cancel }
        }
        return nil
    }
}
