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

/// The cursor of ``ShopifyOrderPayload/fastDecode(_:)``. Every reading method throws ``Fallback``
/// where it is not certain to agree with `JSONDecoder`.
struct FastJSONReader {
    struct Fallback: Error {}

    let base: UnsafePointer<UInt8>
    let count: Int
    var i = 0
    var depth = 0
    static let maxDepth = 64

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    // MARK: The payload

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

    /// Which wanted keys of one object were seen: a repeated one goes to `JSONDecoder`.
    struct KeySet {
        var bits: UInt32 = 0
        mutating func once(_ n: Int) throws(Fallback) {
            let bit = UInt32(1) << UInt32(n)
            if bits & bit != 0 { throw Fallback() }
            bits |= bit
        }
    }

    // MARK: Structure

    mutating func skipWhitespace() {
        while i < count {
            let c = base[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { i += 1 } else { return }
        }
    }

    mutating func peek() -> UInt8? {
        skipWhitespace()
        return i < count ? base[i] : nil
    }

    mutating func expectEnd() throws(Fallback) {
        skipWhitespace()
        if i != count { throw Fallback() }
    }

    mutating func beginObject() throws(Fallback) {
        guard peek() == UInt8(ascii: "{") else { throw Fallback() }
        i += 1
        depth += 1
        if depth > Self.maxDepth { throw Fallback() }
    }

    mutating func beginArray() throws(Fallback) {
        guard peek() == UInt8(ascii: "[") else { throw Fallback() }
        i += 1
        depth += 1
        if depth > Self.maxDepth { throw Fallback() }
    }

    /// The next key of the open object (its bytes, without quotes), positioned at its value;
    /// nil at the closing brace.
    mutating func nextKey(_ first: inout Bool) throws(Fallback) -> UnsafeBufferPointer<UInt8>? {
        guard let c = peek() else { throw Fallback() }
        if c == UInt8(ascii: "}") {
            i += 1
            depth -= 1
            first = false
            return nil
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw Fallback() }
            i += 1
            skipWhitespace()
        }
        first = false
        guard i < count, base[i] == UInt8(ascii: "\"") else { throw Fallback() }
        i += 1
        let start = i
        while i < count {
            let b = base[i]
            if b == UInt8(ascii: "\"") { break }
            // Escaped or control characters in a key: let JSONDecoder decide.
            if b == UInt8(ascii: "\\") || b < 0x20 { throw Fallback() }
            i += 1
        }
        guard i < count else { throw Fallback() }
        let key = UnsafeBufferPointer(start: base + start, count: i - start)
        i += 1
        guard peek() == UInt8(ascii: ":") else { throw Fallback() }
        i += 1
        skipWhitespace()
        return key
    }

    /// Whether another element of the open array follows (positioned at it).
    mutating func nextElement(_ first: inout Bool) throws(Fallback) -> Bool {
        guard let c = peek() else { throw Fallback() }
        if c == UInt8(ascii: "]") {
            i += 1
            depth -= 1
            first = false
            return false
        }
        if !first {
            guard c == UInt8(ascii: ",") else { throw Fallback() }
            i += 1
            skipWhitespace()
        }
        first = false
        return true
    }

    func matches(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { lit in
            guard lit.count == key.count else { return false }
            for k in 0..<lit.count where lit[k] != key[k] { return false }
            return true
        }
    }

    // MARK: Values

    /// Consumes `null` if it is next.
    mutating func null() throws(Fallback) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    mutating func literal(_ text: StaticString) throws(Fallback) {
        let ok = text.withUTF8Buffer { lit -> Bool in
            guard count - i >= lit.count else { return false }
            for k in 0..<lit.count where base[i + k] != lit[k] { return false }
            return true
        }
        guard ok else { throw Fallback() }
        i += text.utf8CodeUnitCount
    }

    mutating func optionalString() throws(Fallback) -> String? {
        if try null() { return nil }
        return try string()
    }

    mutating func optionalBool() throws(Fallback) -> Bool? {
        switch peek() {
        case UInt8(ascii: "n"): try literal("null"); return nil
        case UInt8(ascii: "t"): try literal("true"); return true
        case UInt8(ascii: "f"): try literal("false"); return false
        default: throw Fallback()
        }
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
        default:
            guard let (negative, magnitude) = try plainInteger() else { throw Fallback() }
            if negative {
                guard magnitude <= UInt64(Int64.max) + 1 else { throw Fallback() }
                return FlexibleString(String(magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)))
            }
            guard magnitude <= UInt64(Int64.max) else { throw Fallback() }
            return FlexibleString(String(Int64(magnitude)))
        }
    }

    /// A JSON number that is a plain integer (no fraction or exponent) fitting UInt64 in
    /// magnitude; nil for any other number form (left unconsumed is fine: the caller falls back).
    mutating func plainInteger() throws(Fallback) -> (Bool, UInt64)? {
        var j = i
        var negative = false
        if j < count, base[j] == UInt8(ascii: "-") {
            negative = true
            j += 1
        }
        guard j < count, base[j] >= 0x30, base[j] <= 0x39 else { throw Fallback() }
        if base[j] == 0x30, j + 1 < count, base[j + 1] >= 0x30, base[j + 1] <= 0x39 { throw Fallback() }
        var value: UInt64 = 0
        while j < count, base[j] >= 0x30, base[j] <= 0x39 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(base[j] - 0x30))
            if o1 || o2 { return nil }
            value = a
            j += 1
        }
        if j < count, base[j] == UInt8(ascii: ".") || base[j] == UInt8(ascii: "e") || base[j] == UInt8(ascii: "E") { return nil }
        i = j
        return (negative, value)
    }

    /// A string value (positioned at its opening quote), unescaped.
    mutating func string() throws(Fallback) -> String {
        guard i < count, base[i] == UInt8(ascii: "\"") else { throw Fallback() }
        i += 1
        let start = i
        while i < count {
            skipPlainStringBytes()
            guard i < count else { break }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(start: base + start, count: i - start), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") {
                i = start
                return try escapedString()
            }
            if b < 0x20 { throw Fallback() }
            i += 1
        }
        throw Fallback()
    }

    /// The slow path of ``string()`` for strings with escapes.
    mutating func escapedString() throws(Fallback) -> String {
        var bytes: [UInt8] = []
        while i < count {
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: bytes, as: UTF8.self)
            }
            if b < 0x20 { throw Fallback() }
            if b != UInt8(ascii: "\\") {
                bytes.append(b)
                i += 1
                continue
            }
            guard i + 1 < count else { throw Fallback() }
            let e = base[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C)
            case UInt8(ascii: "/"): bytes.append(0x2F)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var scalarValue = try hex4()
                if (0xD800...0xDBFF).contains(scalarValue) {
                    guard count - i >= 6, base[i] == UInt8(ascii: "\\"), base[i + 1] == UInt8(ascii: "u") else { throw Fallback() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw Fallback() }
                    scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalarValue) {
                    throw Fallback()
                }
                guard let scalar = Unicode.Scalar(scalarValue) else { throw Fallback() }
                bytes.append(contentsOf: String(Character(scalar)).utf8)
            default:
                throw Fallback()
            }
        }
        throw Fallback()
    }

    mutating func hex4() throws(Fallback) -> UInt32 {
        guard count - i >= 4 else { throw Fallback() }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = base[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw Fallback()
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    /// Skips any value, checking it is valid JSON.
    mutating func skipValue() throws(Fallback) {
        guard let c = peek() else { throw Fallback() }
        switch c {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"):
            try beginObject()
            var first = true
            while try nextKey(&first) != nil { try skipValue() }
        case UInt8(ascii: "["):
            try beginArray()
            var first = true
            while try nextElement(&first) { try skipValue() }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try skipNumber()
        }
    }

    mutating func skipString() throws(Fallback) {
        i += 1
        while i < count {
            skipPlainStringBytes()
            guard i < count else { break }
            let b = base[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if b < 0x20 { throw Fallback() }
            if b == UInt8(ascii: "\\") {
                guard i + 1 < count else { throw Fallback() }
                switch base[i + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                     UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    i += 2
                case UInt8(ascii: "u"):
                    i += 2
                    _ = try hex4()
                default:
                    throw Fallback()
                }
                continue
            }
            i += 1
        }
        throw Fallback()
    }

    /// Advances past string bytes that need no attention (anything but `"`, `\\` and control
    /// characters), eight at a time; stops at the word holding the first byte that does.
    @inline(__always)
    mutating func skipPlainStringBytes() {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while count - i >= 8 {
            let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A zero byte in `quote` or `backslash`, or a byte below 0x20 in `word` (the classic
            // "has zero byte" test; a false hit only follows a true one, and just ends the run).
            let hits = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
            if hits & highs != 0 { return }
            i += 8
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    mutating func skipNumber() throws(Fallback) {
        func digit(_ j: Int) -> Bool { j < count && base[j] >= 0x30 && base[j] <= 0x39 }
        if i < count, base[i] == UInt8(ascii: "-") { i += 1 }
        guard digit(i) else { throw Fallback() }
        if base[i] == 0x30 {
            i += 1
        } else {
            while digit(i) { i += 1 }
        }
        if i < count, base[i] == UInt8(ascii: ".") {
            i += 1
            guard digit(i) else { throw Fallback() }
            while digit(i) { i += 1 }
        }
        if i < count, base[i] == UInt8(ascii: "e") || base[i] == UInt8(ascii: "E") {
            i += 1
            if i < count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard digit(i) else { throw Fallback() }
            while digit(i) { i += 1 }
        }
    }

    // MARK: UTF-8

    /// Whether `bytes` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF).
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = bytes.baseAddress else { return true }
        let n = bytes.count
        var i = 0
        while i < n {
            // Eight ASCII bytes at a time.
            if i + 8 <= n {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            let b0 = p[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            func cont(_ k: Int) -> Bool { i + k < n && p[i + k] & 0xC0 == 0x80 }
            switch b0 {
            case 0xC2...0xDF:
                guard cont(1) else { return false }
                i += 2
            case 0xE0...0xEF:
                guard cont(1), cont(2) else { return false }
                let b1 = p[i + 1]
                if b0 == 0xE0 && b1 < 0xA0 { return false }
                if b0 == 0xED && b1 > 0x9F { return false }
                i += 3
            case 0xF0...0xF4:
                guard cont(1), cont(2), cont(3) else { return false }
                let b1 = p[i + 1]
                if b0 == 0xF0 && b1 < 0x90 { return false }
                if b0 == 0xF4 && b1 > 0x8F { return false }
                i += 4
            default:
                return false
            }
        }
        return true
    }
}
