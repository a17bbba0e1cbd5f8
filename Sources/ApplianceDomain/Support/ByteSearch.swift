/// Substring search on UTF-8 bytes, for hot paths that must not bridge to `NSString`.
enum ByteSearch {
    /// Whether `needle` occurs in `haystack`. With `foldingASCIICase`, the haystack's ASCII
    /// capitals are read as lower case (give a lower-case needle).
    static func contains(_ haystack: UnsafeBufferPointer<UInt8>?, _ needle: [UInt8], foldingASCIICase folding: Bool) -> Bool {
        guard let haystack, haystack.count >= needle.count else { return false }
        if needle.isEmpty { return true }
        @inline(__always) func fold(_ b: UInt8) -> UInt8 { folding && b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        let first = needle[0]
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if fold(haystack[i]) == first {
                var j = 1
                while j < needle.count, fold(haystack[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
