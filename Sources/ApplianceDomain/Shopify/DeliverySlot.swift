import Foundation

/// Finds a delivery slot in `note_attributes` (cart attributes) or line item `properties`,
/// where delivery-date apps put it under names like "Delivery Date", "Delivery Time", "Slot".
public enum DeliverySlot {
    static let dateWords = ["delivery date", "delivery_date", "delivery-date", "deliverydate", "delivery day", "date de livraison", "fecha de entrega"]
    static let timeWords = ["slot", "delivery time", "delivery_time", "delivery-time", "deliverytime", "time slot", "timeslot",
                            "delivery window", "heure de livraison", "hora de entrega", "créneau", "creneau"]

    /// The slot text, e.g. "2024-05-02 14:00-16:00", or nil.
    public static func find(noteAttributes: [ShopifyOrderPayload.NameValue], lineItems: [ShopifyOrderPayload.LineItem]) -> String? {
        if let slot = find(in: noteAttributes) { return slot }
        for item in lineItems {
            if let slot = find(in: item.properties ?? []) { return slot }
        }
        return nil
    }

    static func find(in pairs: [ShopifyOrderPayload.NameValue]) -> String? {
        var date: String?
        var time: String?
        for pair in pairs {
            guard let name = pair.name?.lowercased().trimmingFast(.whitespaces), !name.hasPrefix("_"),
                  let value = nonEmpty(pair.value?.value) else { continue }
            if time == nil, timeWords.contains(where: { name.contains($0) }) {
                time = value
            } else if date == nil, dateWords.contains(where: { name.contains($0) }) {
                date = value
            }
        }
        switch (date, time) {
        case let (d?, t?): return t.contains(d) ? t : "\(d) \(t)"
        case let (d?, nil): return d
        case let (nil, t?): return t
        default: return nil
        }
    }
}
