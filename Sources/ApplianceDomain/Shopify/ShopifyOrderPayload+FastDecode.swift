import ApplianceCoding

/// A single-pass reader of Shopify order bodies that builds ``ShopifyOrderPayload`` directly from
/// the bytes, touching only the fields the product uses.
///
/// `JSONDecoder` builds a dictionary of every key of every object it opens, which makes it the
/// largest single cost of ingest on an order with a dozen line items; this reader skips what it
/// does not need while still validating it.
///
/// It is an accelerator, never a second opinion: it answers only for strictly valid JSON (UTF-8,
/// no duplicate wanted keys, no escapes in keys, no unusual number forms or types) and returns nil
/// for anything else, which then goes to `JSONDecoder` exactly as before, so the payload or the
/// rejection reason is always what `JSONDecoder` would give.
extension ShopifyOrderPayload {
    /// The payload, or nil when the body needs the full decoder to decide.
    static func fastDecode(_ body: [UInt8]) -> ShopifyOrderPayload? {
        body.withUnsafeBufferPointer { buffer -> ShopifyOrderPayload? in
            guard let base = buffer.baseAddress, buffer.count > 0, FastJSONReader.isValidUTF8(buffer) else { return nil }
            var reader = FastJSONReader(base: base, count: buffer.count)
            do {
                let payload = try reader.orderPayload()
                try reader.expectEnd()
                return payload
            } catch {
                return nil
            }
        }
    }
}

/// The Shopify order fields on ``FastJSONReader``: every method throws
/// ``FastJSONReader/Fallback`` where it is not certain to agree with `JSONDecoder`.
extension FastJSONReader {
    mutating func orderPayload() throws(Fallback) -> ShopifyOrderPayload {
        var p = ShopifyOrderPayload()
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 2 where matches(key, "id"): try seen.once(0); p.id = try exactID()
            case 4 where matches(key, "name"): try seen.once(1); p.name = try optionalString()
            case 12 where matches(key, "order_number"): try seen.once(2); p.orderNumber = try exactID()
            case 5 where matches(key, "email"): try seen.once(3); p.email = try optionalString()
            case 13 where matches(key, "contact_email"): try seen.once(4); p.contactEmail = try optionalString()
            case 5 where matches(key, "phone"): try seen.once(5); p.phone = try optionalString()
            case 10 where matches(key, "created_at"): try seen.once(6); p.createdAt = try optionalString()
            case 10 where matches(key, "updated_at"): try seen.once(7); p.updatedAt = try optionalString()
            case 12 where matches(key, "cancelled_at"): try seen.once(8); p.cancelledAt = try optionalString()
            case 8 where matches(key, "currency"): try seen.once(9); p.currency = try optionalString()
            case 20 where matches(key, "presentment_currency"): try seen.once(10); p.presentmentCurrency = try optionalString()
            case 11 where matches(key, "total_price"): try seen.once(11); p.totalPrice = try flexible()
            case 19 where matches(key, "current_total_price"): try seen.once(12); p.currentTotalPrice = try flexible()
            case 15 where matches(key, "total_price_set"): try seen.once(13); p.totalPriceSet = try moneySet()
            case 23 where matches(key, "current_total_price_set"): try seen.once(14); p.currentTotalPriceSet = try moneySet()
            case 4 where matches(key, "test"): try seen.once(15); p.test = try optionalBool()
            case 8 where matches(key, "customer"): try seen.once(16); p.customer = try customer()
            case 16 where matches(key, "shipping_address"): try seen.once(17); p.shippingAddress = try address()
            case 15 where matches(key, "billing_address"): try seen.once(18); p.billingAddress = try address()
            case 15 where matches(key, "note_attributes"): try seen.once(19); p.noteAttributes = try nameValues()
            case 10 where matches(key, "line_items"): try seen.once(20); p.lineItems = try lineItems()
            default: try skipValue()
            }
        }
        return p
    }

    mutating func moneySet() throws(Fallback) -> ShopifyOrderPayload.MoneySet? {
        if try null() { return nil }
        var m = ShopifyOrderPayload.MoneySet()
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            if key.count == 10, matches(key, "shop_money") { try seen.once(0); m.shopMoney = try money() }
            else if key.count == 17, matches(key, "presentment_money") { try seen.once(1); m.presentmentMoney = try money() }
            else { try skipValue() }
        }
        return m
    }

    mutating func money() throws(Fallback) -> ShopifyOrderPayload.MoneySet.Money? {
        if try null() { return nil }
        var m = ShopifyOrderPayload.MoneySet.Money()
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            if key.count == 6, matches(key, "amount") { try seen.once(0); m.amount = try flexible() }
            else if key.count == 13, matches(key, "currency_code") { try seen.once(1); m.currencyCode = try optionalString() }
            else { try skipValue() }
        }
        return m
    }

    mutating func address() throws(Fallback) -> ShopifyOrderPayload.Address? {
        if try null() { return nil }
        var a = ShopifyOrderPayload.Address()
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 4 where matches(key, "name"): try seen.once(0); a.name = try optionalString()
            case 10 where matches(key, "first_name"): try seen.once(1); a.firstName = try optionalString()
            case 9 where matches(key, "last_name"): try seen.once(2); a.lastName = try optionalString()
            case 5 where matches(key, "phone"): try seen.once(3); a.phone = try optionalString()
            case 12 where matches(key, "country_code"): try seen.once(4); a.countryCode = try optionalString()
            default: try skipValue()
            }
        }
        return a
    }

    mutating func customer() throws(Fallback) -> ShopifyOrderPayload.Customer? {
        if try null() { return nil }
        var c = ShopifyOrderPayload.Customer()
        var seen = KeySet()
        try beginObject()
        var first = true
        while let key = try nextKey(&first) {
            switch key.count {
            case 10 where matches(key, "first_name"): try seen.once(0); c.firstName = try optionalString()
            case 9 where matches(key, "last_name"): try seen.once(1); c.lastName = try optionalString()
            case 5 where matches(key, "email"): try seen.once(2); c.email = try optionalString()
            case 5 where matches(key, "phone"): try seen.once(3); c.phone = try optionalString()
            case 15 where matches(key, "default_address"): try seen.once(4); c.defaultAddress = try address()
            default: try skipValue()
            }
        }
        return c
    }

    mutating func nameValues() throws(Fallback) -> [ShopifyOrderPayload.NameValue]? {
        if try null() { return nil }
        var list: [ShopifyOrderPayload.NameValue] = []
        try beginArray()
        var first = true
        while try nextElement(&first) {
            // An element must be an object (JSONDecoder: null here is an error, not nil).
            guard peek() == UInt8(ascii: "{") else { throw Fallback() }
            var pair = ShopifyOrderPayload.NameValue()
            var seen = KeySet()
            try beginObject()
            var firstKey = true
            while let key = try nextKey(&firstKey) {
                if key.count == 4, matches(key, "name") { try seen.once(0); pair.name = try optionalString() }
                else if key.count == 5, matches(key, "value") { try seen.once(1); pair.value = try flexible() }
                else { try skipValue() }
            }
            list.append(pair)
        }
        return list
    }

    mutating func lineItems() throws(Fallback) -> [ShopifyOrderPayload.LineItem]? {
        if try null() { return nil }
        var list: [ShopifyOrderPayload.LineItem] = []
        try beginArray()
        var first = true
        while try nextElement(&first) {
            guard peek() == UInt8(ascii: "{") else { throw Fallback() }
            var item = ShopifyOrderPayload.LineItem()
            var seen = KeySet()
            try beginObject()
            var firstKey = true
            while let key = try nextKey(&firstKey) {
                if key.count == 10, matches(key, "properties") { try seen.once(0); item.properties = try nameValues() }
                else { try skipValue() }
            }
            list.append(item)
        }
        return list
    }

    /// ``ExactID``: a plain JSON integer that fits UInt64, or a string read with `UInt64(_:)`.
    mutating func exactID() throws(Fallback) -> ExactID? {
        guard let c = peek() else { throw Fallback() }
        if c == UInt8(ascii: "n") { try literal("null"); return nil }
        if c == UInt8(ascii: "\"") {
            guard let v = UInt64(try string()) else { throw Fallback() }
            return ExactID(v)
        }
        guard let (negative, magnitude) = try plainInteger(), !negative else { throw Fallback() }
        return ExactID(magnitude)
    }

    /// ``FlexibleString``: a string as is, an integer literal that fits Int64 by its value, a
    /// boolean by its literal (other numbers and containers go to JSONDecoder).
    mutating func flexible() throws(Fallback) -> FlexibleString? {
        guard let c = peek() else { throw Fallback() }
        switch c {
        case UInt8(ascii: "n"): try literal("null"); return nil
        case UInt8(ascii: "\""): return FlexibleString(try string())
        case UInt8(ascii: "t"): try literal("true"); return FlexibleString("true")
        case UInt8(ascii: "f"): try literal("false"); return FlexibleString("false")
        default: return FlexibleString(String(try int64()))
        }
    }
}
