extension OrderTable {
    /// The UTF-8 bytes of an order's searched texts, valid only inside ``withSearchTexts(at:_:)``.
    struct SearchTexts {
        var number: UnsafeBufferPointer<UInt8>?
        var customer: UnsafeBufferPointer<UInt8>?
        var phone: UnsafeBufferPointer<UInt8>?
        var phoneRaw: UnsafeBufferPointer<UInt8>?
        var email: UnsafeBufferPointer<UInt8>?
    }

    /// Calls `body` with the searched texts of the order at `position`, read in place.
    func withSearchTexts<T>(at position: Int, _ body: (SearchTexts) -> T) -> T {
        arena.read(rows[position].texts) { r in
            var t = SearchTexts()
            t.number = r.bytes()
            t.customer = r.bytes()
            t.phone = r.bytes()
            t.phoneRaw = r.bytes(sameAs: t.phone)
            _ = r.bytes()  // country
            t.email = r.bytes()
            return body(t)
        }
    }
}
