import Foundation

/// The orders API's `q=` text search: case-insensitive over order number, customer name and
/// e-mail; the phone as typed or by its national digits (at least 4 digits, leading zeros
/// dropped); the raw phone as typed.
///
/// ``matches(_:)`` states the rule on an ``Order``. ``matches(_:at:)`` applies it to a packed
/// ``OrderTable`` row without building the order: field by field, comparing UTF-8 bytes with
/// ASCII case folding where the needle and the field are ASCII, and through `String` otherwise,
/// so both give the same answer.
struct OrderSearch {
    /// Lowercased, trimmed, never empty.
    let needle: String
    let needleBytes: [UInt8]
    /// The needle's digits without leading zeros, when it has at least 4 digits.
    let national: String?
    let nationalBytes: [UInt8]
    let needleIsASCII: Bool

    init?(_ text: String?) {
        guard let needle = text?.lowercased().trimmingCharacters(in: .whitespaces), !needle.isEmpty else { return nil }
        self.needle = needle
        needleBytes = Array(needle.utf8)
        let digits = String(needle.filter(\.isNumber))
        let national = digits.count >= 4 ? String(digits.drop { $0 == "0" }) : ""
        self.national = national.isEmpty ? nil : national
        nationalBytes = Array(national.utf8)
        needleIsASCII = needleBytes.allSatisfy { $0 < 0x80 }
    }

    /// The rule, on a built order.
    func matches(_ o: Order) -> Bool {
        if o.number.lowercased().contains(needle) || o.customerName.lowercased().contains(needle) { return true }
        if let email = o.email, email.lowercased().contains(needle) { return true }
        if let phone = o.phone {
            if phone.contains(needle) { return true }
            if let national, phone.filter(\.isNumber).contains(national) { return true }
        }
        if let raw = o.phoneRaw, raw.contains(needle) { return true }
        return false
    }

    /// The rule, on the order at `position` of `table`: field by field on the bytes in place,
    /// through `String` only for a field (or needle) that is not ASCII.
    func matches(_ table: OrderTable, at position: Int) -> Bool {
        table.withSearchTexts(at: position) { t in
            folded(t.number) || folded(t.customer) || folded(t.email) || phone(t.phone) || exact(t.phoneRaw)
        }
    }

    private func isASCII(_ field: UnsafeBufferPointer<UInt8>) -> Bool { !field.contains { $0 >= 0x80 } }

    /// `field.lowercased().contains(needle)`.
    private func folded(_ field: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let field else { return false }
        if needleIsASCII, isASCII(field) { return ByteSearch.contains(field, needleBytes, foldingASCIICase: true) }
        return String(decoding: field, as: UTF8.self).lowercased().contains(needle)
    }

    /// `field.contains(needle)`.
    private func exact(_ field: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let field else { return false }
        if needleIsASCII, isASCII(field) { return ByteSearch.contains(field, needleBytes, foldingASCIICase: false) }
        return String(decoding: field, as: UTF8.self).contains(needle)
    }

    /// The phone as typed, or its digits holding the needle's national digits.
    private func phone(_ field: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let field else { return false }
        if exact(field) { return true }
        guard let national else { return false }
        if isASCII(field) {
            let digits = field.filter { $0 >= 0x30 && $0 <= 0x39 }
            return digits.withUnsafeBufferPointer { ByteSearch.contains($0, nationalBytes, foldingASCIICase: false) }
        }
        return String(decoding: field, as: UTF8.self).filter(\.isNumber).contains(national)
    }
}
