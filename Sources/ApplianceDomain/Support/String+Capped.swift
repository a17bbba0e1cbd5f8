/// The size limits of what is kept (CONTRACT "Sign-up, limits and abuse"): one stored order
/// stays within a few KiB whatever a signed payload carries.
public enum StoredTextLimit {
    /// Any text kept from a Shopify payload or delivery header.
    public static let shopify = 255
    /// A customer's reply kept as an event or in the inbox.
    public static let reply = 1024
    /// Events an order keeps (the newest).
    public static let events = 100
}

extension String {
    /// At most `limit` characters, cut at a character boundary. A text of at most `limit` UTF-8
    /// bytes is returned as is without counting characters (the usual case costs nothing).
    public func capped(to limit: Int) -> String {
        if utf8.count <= limit { return self }
        var end = startIndex
        var n = 0
        while n < limit, end < endIndex {
            end = index(after: end)
            n += 1
        }
        return end == endIndex ? self : String(self[..<end])
    }
}

extension Optional where Wrapped == String {
    /// ``Swift/String/capped(to:)`` of the text, nil stays nil.
    func capped(to limit: Int) -> String? { self.map { $0.capped(to: limit) } }
}
