import Foundation

extension String {
    /// `trimmingCharacters(in: set)` for the whitespace, newline and control character sets, with
    /// a fast path: when the first and the last byte are printable ASCII other than space
    /// (0x21–0x7E), none of those sets can match at either end, so the text is returned as is
    /// without going through Foundation (which bridges to NSString on Linux, costly on a hot path).
    /// Any other text is trimmed by Foundation itself, so the result is always the same. The set
    /// is an autoclosure: building `.whitespacesAndNewlines` goes through Foundation too, and the
    /// fast path does not need it.
    ///
    /// `package`: the phone parser and the rest of the server (Shopify mapping, delivery slots)
    /// share it; it is not part of this module's public API.
    @inlinable
    package func trimmingFast(_ set: @autoclosure () -> CharacterSet) -> String {
        let utf8 = self.utf8
        guard let first = utf8.first, let last = utf8.last else { return "" }
        if (0x21...0x7E).contains(first) && (0x21...0x7E).contains(last) { return self }
        return trimmingCharacters(in: set())
    }
}
