import Foundation
import PhoneNumbers

/// Finds a delivery slot in `note_attributes` (cart attributes) or line item `properties`,
/// where delivery-date apps put it under names like "Delivery Date", "Delivery Time", "Slot".
public enum DeliverySlot {
    static let dateWords = ["delivery date", "delivery_date", "delivery-date", "deliverydate", "delivery day", "date de livraison", "fecha de entrega"]
    static let timeWords = ["slot", "delivery time", "delivery_time", "delivery-time", "deliverytime", "time slot", "timeslot",
                            "delivery window", "heure de livraison", "hora de entrega", "créneau", "creneau"]
    static let dateWordBytes = dateWords.map { Array($0.utf8) }
    static let timeWordBytes = timeWords.map { Array($0.utf8) }

    /// The slot text, e.g. "2024-05-02 14:00-16:00", or nil.
    public static func find(noteAttributes: [ShopifyOrderPayload.NameValue], lineItems: [ShopifyOrderPayload.LineItem]) -> String? {
        if let slot = find(in: noteAttributes) { return slot }
        for item in lineItems {
            if let slot = find(in: item.properties ?? []) { return slot }
        }
        return nil
    }

    /// What an attribute name announces.
    enum Kind { case time, date, other }

    static func find(in pairs: [ShopifyOrderPayload.NameValue]) -> String? {
        var date: String?
        var time: String?
        for pair in pairs {
            guard let name = pair.name, let value = nonEmpty(pair.value?.value) else { continue }
            switch kind(of: name, timeWanted: time == nil, dateWanted: date == nil) {
            case .time: time = value
            case .date: date = value
            case .other: break
            }
        }
        switch (date, time) {
        case let (d?, t?): return t.contains(d) ? t : "\(d) \(t)"
        case let (d?, nil): return d
        case let (nil, t?): return t
        default: return nil
        }
    }

    /// Whether `name` (any case, surrounding spaces ignored; a leading `_` marks an app's hidden
    /// attribute) names the slot's time or its date. A time word wins over a date word.
    static func kind(of name: String, timeWanted: Bool, dateWanted: Bool) -> Kind {
        guard timeWanted || dateWanted else { return .other }
        if let kind = asciiKind(of: name, timeWanted: timeWanted, dateWanted: dateWanted) { return kind }
        // Not ASCII: Foundation's search, which also matches other normalisations of "créneau".
        let lowered = name.lowercased().trimmingFast(.whitespaces)
        guard !lowered.hasPrefix("_") else { return .other }
        if timeWanted, timeWords.contains(where: { lowered.contains($0) }) { return .time }
        if dateWanted, dateWords.contains(where: { lowered.contains($0) }) { return .date }
        return .other
    }

    /// `kind(of:)` on bytes for an ASCII name (nil for any other), without bridging to NSString:
    /// the same answer, since lower-casing and searching ASCII text does not depend on Unicode rules.
    static func asciiKind(of name: String, timeWanted: Bool, dateWanted: Bool) -> Kind? {
        var name = name
        return name.withUTF8 { bytes -> Kind? in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            // `.whitespaces` in ASCII: space and tab.
            var start = 0, end = bytes.count
            while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
            while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
            let text = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if text.first == UInt8(ascii: "_") { return .other }
            if timeWanted, timeWordBytes.contains(where: { ByteSearch.contains(text, $0, foldingASCIICase: true) }) { return .time }
            if dateWanted, dateWordBytes.contains(where: { ByteSearch.contains(text, $0, foldingASCIICase: true) }) { return .date }
            return .other
        }
    }
}
