extension FastJSONReader {
    /// Which wanted keys of one object were seen (numbered 0 to 31 by the caller): a repeated one
    /// throws ``FastJSONReader/Fallback``, so that `JSONDecoder` decides.
    @frozen
    public struct KeySet {
        @usableFromInline var bits: UInt32 = 0

        /// An empty set.
        @inlinable
        public init() {}

        /// Records key `n`; throws when it was seen before.
        @inlinable
        public mutating func once(_ n: Int) throws(Fallback) {
            let bit = UInt32(1) << UInt32(n)
            if bits & bit != 0 { throw Fallback() }
            bits |= bit
        }
    }
}
