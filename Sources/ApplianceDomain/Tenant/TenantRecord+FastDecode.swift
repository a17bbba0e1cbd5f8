import ApplianceCoding
import Foundation

/// Single-pass readers for what boot replays most: `order` journal records and the timeline
/// blobs of snapshots. `JSONDecoder` is costly per order record, and boot may replay a million
/// of them before the server can answer.
///
/// Like ``ShopifyOrderPayload/fastDecode(_:)`` these only accelerate: they answer for strictly
/// valid JSON whose every key they know (so a field added to ``Order`` later is never dropped
/// silently: the record goes to `JSONDecoder` until this reader learns it), and return nil for
/// anything else, which `JSONDecoder` then decodes exactly as before.
extension TenantRecord {
    /// An `order` record, or nil when `JSONDecoder` must decide (other kinds, unknown keys, ...).
    static func fastDecodeOrderRecord(_ raw: UnsafeRawBufferPointer) -> TenantRecord? {
        let bytes = raw.bindMemory(to: UInt8.self)
        guard let base = bytes.baseAddress, bytes.count > 0, FastJSONReader.isValidUTF8(bytes) else { return nil }
        var reader = FastJSONReader(base: base, count: bytes.count)
        do {
            let record = try reader.orderRecord()
            try reader.expectEnd()
            return record
        } catch {
            return nil
        }
    }
}

extension OrderEvent {
    /// A timeline array as ``TenantSnapshotCodec`` stores it, or nil when `JSONDecoder` must decide.
    static func fastDecodeArray(_ bytes: ArraySlice<UInt8>) -> [OrderEvent]? {
        bytes.withUnsafeBufferPointer { buffer -> [OrderEvent]? in
            guard let base = buffer.baseAddress, buffer.count > 0, FastJSONReader.isValidUTF8(buffer) else { return nil }
            var reader = FastJSONReader(base: base, count: buffer.count)
            do {
                guard let events = try reader.events() else { return nil }
                try reader.expectEnd()
                return events
            } catch {
                return nil
            }
        }
    }
}

extension FastJSONReader {
    mutating func orderRecord() throws(Fallback) -> TenantRecord {
        var kind: String?
        var order: Order?
        var webhook: String?
        var shop: String?
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 1 where matches(key, "t"): try seen.once(0); kind = try string()
            case 5 where matches(key, "order"): try seen.once(1); order = try null() ? nil : try self.order()
            case 2 where matches(key, "wh"): try seen.once(2); webhook = try optionalString()
            case 4 where matches(key, "shop"): try seen.once(3); shop = try optionalString()
            default: throw Fallback()  // another kind of record (`message` of inbox, ...), or a key this reader does not know
            }
        }
        guard kind == TenantRecord.Kind.order.rawValue else { throw Fallback() }
        var record = TenantRecord(t: .order)
        record.order = order
        record.wh = webhook
        record.shop = shop
        return record
    }

    mutating func order() throws(Fallback) -> Order {
        var id: UInt64?, number: String?, customer: String?, total: String?, currency: String?
        var phone: String?, phoneRaw: String?, phoneCountry: String?, email: String?
        var pTotal: String?, pCurrency: String?, slot: String?
        var status: OrderStatus?, test: Bool?
        var created: Int64?, sUpdated: Int64?, arrived: Int64?, updated: Int64?
        var message: OrderMessage?
        var events: [OrderEvent]?
        var sync: ShopifySync?
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 2 where matches(key, "id"): try seen.once(0); id = try uint64()
            case 6 where matches(key, "number"): try seen.once(1); number = try string()
            case 8 where matches(key, "customer"): try seen.once(2); customer = try string()
            case 5 where matches(key, "phone"): try seen.once(3); phone = try optionalString()
            case 9 where matches(key, "phone_raw"): try seen.once(4); phoneRaw = try optionalString()
            case 13 where matches(key, "phone_country"): try seen.once(5); phoneCountry = try optionalString()
            case 5 where matches(key, "email"): try seen.once(6); email = try optionalString()
            case 5 where matches(key, "total"): try seen.once(7); total = try string()
            case 8 where matches(key, "currency"): try seen.once(8); currency = try string()
            case 7 where matches(key, "p_total"): try seen.once(9); pTotal = try optionalString()
            case 10 where matches(key, "p_currency"): try seen.once(10); pCurrency = try optionalString()
            case 6 where matches(key, "status"): try seen.once(11); status = try orderStatus()
            case 4 where matches(key, "slot"): try seen.once(12); slot = try optionalString()
            case 4 where matches(key, "test"): try seen.once(13); test = try bool()
            case 7 where matches(key, "created"): try seen.once(14); created = try int64()
            case 9 where matches(key, "s_updated"): try seen.once(15); sUpdated = try int64()
            case 7 where matches(key, "arrived"): try seen.once(16); arrived = try int64()
            case 7 where matches(key, "updated"): try seen.once(17); updated = try int64()
            case 3 where matches(key, "msg"): try seen.once(18); message = try orderMessage()
            case 6 where matches(key, "events"): try seen.once(19); events = try self.events()
            case 4 where matches(key, "sync"):
                // Rare and nested (orders with Shopify write-backs): JSONDecoder reads the object.
                try seen.once(20)
                if try null() { continue }
                guard let decoded = try? JSONDecoder().decode(ShopifySync.self, from: Data(buffer: try rawValue())) else { throw Fallback() }
                sync = decoded
            default: throw Fallback()
            }
        }
        // Required fields missing: JSONDecoder reports it.
        guard let id, let number, let customer, let total, let currency, let status, let test,
              let created, let sUpdated, let arrived, let updated, let message else { throw Fallback() }
        return Order(
            id: id, number: number, customerName: customer, phone: phone, phoneRaw: phoneRaw, phoneCountry: phoneCountry,
            email: email, totalPrice: total, currency: currency, presentmentTotal: pTotal, presentmentCurrency: pCurrency,
            status: status, slot: slot, test: test, createdAt: created, shopifyUpdatedAt: sUpdated, arrivedAt: arrived,
            updatedAt: updated, message: message, events: events, shopifySync: sync)
    }

    mutating func orderMessage() throws(Fallback) -> OrderMessage {
        var state: MessageState?, scheduledAt: Int64?, attempts: Int64?, lastError: String?, provider: String?
        var messageID: String?, firstAttemptAt: Int64?
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 5 where matches(key, "state"): try seen.once(0); state = try enumValue(MessageState.self)
            case 12 where matches(key, "scheduled_at"): try seen.once(1); scheduledAt = try null() ? nil : try int64()
            case 8 where matches(key, "attempts"): try seen.once(2); attempts = try int64()
            case 10 where matches(key, "last_error"): try seen.once(3); lastError = try optionalString()
            case 8 where matches(key, "provider"): try seen.once(4); provider = try optionalString()
            case 5 where matches(key, "wamid"): try seen.once(5); messageID = try optionalString()
            case 13 where matches(key, "first_attempt"): try seen.once(6); firstAttemptAt = try null() ? nil : try int64()
            default: throw Fallback()
            }
        }
        guard let state, let attempts else { throw Fallback() }
        return OrderMessage(state: state, scheduledAt: scheduledAt, attempts: Int(attempts), lastError: lastError, provider: provider,
                            messageID: messageID, firstAttemptAt: firstAttemptAt)
    }

    /// A timeline: null, or an array of event objects.
    mutating func events() throws(Fallback) -> [OrderEvent]? {
        if try null() { return nil }
        var list: [OrderEvent] = []
        try beginArray()
        var first = true
        while try nextElement(&first) {
            var at: Int64?, type: String?, status: OrderStatus?, by: String?, text: String?, action: String?, result: String?
            var seen = KeySet()
            try beginObject()
            var firstKey = true
            while let key = try nextKey(&firstKey) {
                switch key.count {
                case 2 where matches(key, "at"): try seen.once(0); at = try int64()
                case 4 where matches(key, "type"): try seen.once(1); type = try string()
                case 6 where matches(key, "status"): try seen.once(2); status = try null() ? nil : try orderStatus()
                case 2 where matches(key, "by"): try seen.once(3); by = try optionalString()
                case 4 where matches(key, "text"): try seen.once(4); text = try optionalString()
                case 6 where matches(key, "action"): try seen.once(5); action = try optionalString()
                case 6 where matches(key, "result"): try seen.once(6); result = try optionalString()
                default: throw Fallback()
                }
            }
            guard let at, let type else { throw Fallback() }
            list.append(OrderEvent(at: at, type: type, status: status, by: by, text: text, action: action, result: result))
        }
        return list
    }

    mutating func orderStatus() throws(Fallback) -> OrderStatus { try enumValue(OrderStatus.self) }
}
