import ApplianceCoding
import Foundation

/// A writer for the record every webhook journals (`order`), much cheaper than
/// `JSONEncoder`. It writes the same keys as `Codable` does, omits nil members the same way, and
/// is checked against `JSONDecoder` and the fast reader in the tests; every other kind of record
/// goes through `JSONEncoder`.
extension TenantRecord {
    /// The record's JSON, written by hand for `order` records and by `JSONEncoder` otherwise.
    public func encoded(with encoder: JSONEncoder) throws -> [UInt8] {
        guard t == .order, let order, account == nil, hash == nil, at == nil, settings == nil, rejected == nil, message == nil else {
            return Array(try encoder.encode(self))
        }
        var w = FastJSONWriter(capacity: 384 + (order.events?.count ?? 0) * 64)
        w.beginObject()
        w.key("t")
        w.string(t.rawValue)
        w.key("order")
        order.write(to: &w)
        w.member("wh", wh)
        w.member("shop", shop)
        w.endObject()
        return w.bytes
    }
}

extension Order {
    func write(to w: inout FastJSONWriter) {
        w.beginObject()
        w.key("id")
        w.uint(id)
        w.key("number")
        w.string(number)
        w.key("customer")
        w.string(customerName)
        w.member("phone", phone)
        w.member("phone_raw", phoneRaw)
        w.member("phone_country", phoneCountry)
        w.member("email", email)
        w.key("total")
        w.string(totalPrice)
        w.key("currency")
        w.string(currency)
        w.member("p_total", presentmentTotal)
        w.member("p_currency", presentmentCurrency)
        w.member("slot", slot)
        w.key("created")
        w.int(createdAt)
        w.key("s_updated")
        w.int(shopifyUpdatedAt)
        w.key("arrived")
        w.int(arrivedAt)
        w.key("updated")
        w.int(updatedAt)
        if let events {
            w.key("events")
            w.beginArray()
            for event in events { event.write(to: &w) }
            w.endArray()
        }
        w.key("msg")
        message.write(to: &w)
        w.key("status")
        w.string(status.rawValue)
        w.key("test")
        w.bool(test)
        if let shopifySync {
            // Rare (orders with write-backs) and nested: JSONEncoder's bytes, with the same keys
            // the Codable path writes.
            w.key("sync")
            w.raw(Array((try? JSONEncoder().encode(shopifySync)) ?? Data("null".utf8)))
        }
        w.endObject()
    }
}

extension OrderMessage {
    func write(to w: inout FastJSONWriter) {
        w.beginObject()
        w.key("attempts")
        w.int(Int64(attempts))
        w.member("last_error", lastError)
        w.member("provider", provider)
        w.member("wamid", messageID)
        w.member("first_attempt", firstAttemptAt)
        w.member("scheduled_at", scheduledAt)
        w.key("state")
        w.string(state.rawValue)
        w.endObject()
    }
}

extension OrderEvent {
    func write(to w: inout FastJSONWriter) {
        w.beginObject()
        w.key("at")
        w.int(at)
        w.key("type")
        w.string(type)
        w.member("status", status?.rawValue)
        w.member("by", by)
        w.member("text", text)
        w.member("action", action)
        w.member("result", result)
        w.endObject()
    }
}
