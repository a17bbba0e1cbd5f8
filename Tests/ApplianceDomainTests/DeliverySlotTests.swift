import Foundation
import Testing
@testable import ApplianceDomain

@Suite struct DeliverySlotTests {
    /// The rule as first written: lower-case and trim through Foundation, then search each word.
    static func foundationKind(_ name: String, timeWanted: Bool, dateWanted: Bool) -> DeliverySlot.Kind {
        let lowered = name.lowercased().trimmingCharacters(in: .whitespaces)
        if lowered.hasPrefix("_") { return .other }
        if timeWanted, DeliverySlot.timeWords.contains(where: { lowered.contains($0) }) { return .time }
        if dateWanted, DeliverySlot.dateWords.contains(where: { lowered.contains($0) }) { return .date }
        return .other
    }

    @Test func byteSearchAnswersLikeFoundation() {
        var names = ["Delivery Slot", "  DELIVERY DATE\t", "delivery_time", "Gift wrap", "_delivery date", " _slot",
                     "Time Slot", "timeslot", "Delivery Window", "Heure de livraison", "Fecha de entrega",
                     "Créneau", "CRÉNEAU horaire", "cre\u{301}neau", "Date de livraison souhaitée", "Lieferzeit",
                     "delivery", "slo", "", " ", "\u{A0}Slot\u{A0}", "Zustellung (Slot)", "موعد التسليم slot", "DeliveryDay",
                     "delivery day", "delivery-date", "DeliveryTime", "sLoT", "Size", "Colour", "_", "x_slot"]
        // Random names built from pieces of the words, in random case, with random padding.
        var rng = SystemRandomNumberGenerator()
        let pieces = ["deliv", "ery", " ", "_", "-", "slot", "date", "time", "day", "win", "dow", "é", "cr", "eneau", "\t", "x", "É"]
        for _ in 0..<2_000 {
            var name = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let piece = pieces.randomElement(using: &rng)!
                name += Bool.random(using: &rng) ? piece.uppercased() : piece
            }
            names.append(name)
        }
        for name in names {
            for (timeWanted, dateWanted) in [(true, true), (true, false), (false, true), (false, false)] {
                let expected = Self.foundationKind(name, timeWanted: timeWanted, dateWanted: dateWanted)
                #expect(DeliverySlot.kind(of: name, timeWanted: timeWanted, dateWanted: dateWanted) == expected,
                        "\(name.debugDescription) time \(timeWanted) date \(dateWanted)")
            }
        }
    }

    @Test func dateAndTimeCombine() {
        func pair(_ name: String, _ value: String) -> ShopifyOrderPayload.NameValue {
            ShopifyOrderPayload.NameValue(name: name, value: .init(value))
        }
        #expect(DeliverySlot.find(in: [pair("Delivery Date", "2025-03-02"), pair("Delivery Time", "14:00-16:00")]) == "2025-03-02 14:00-16:00")
        #expect(DeliverySlot.find(in: [pair("Slot", "2025-03-02 14:00"), pair("delivery date", "2025-03-02")]) == "2025-03-02 14:00")
        #expect(DeliverySlot.find(in: [pair("_slot", "hidden"), pair("Gift wrap", "no")]) == nil)
    }
}
