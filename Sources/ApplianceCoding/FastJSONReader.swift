/// A cursor over UTF-8 JSON bytes for hand-written single-pass readers: the caller walks the
/// document with ``beginObject()``, ``nextKey(_:)``, ``nextElement(_:)`` and the value readers,
/// and skips (while still validating) what it does not need with ``skipValue()``.
///
/// It is meant to accelerate `JSONDecoder`, never to disagree with it: every reading method throws
/// ``Fallback`` where it is not certain to read the bytes as `JSONDecoder` would (escapes in keys,
/// unusual number forms, nesting deeper than ``maxDepth``, ...), and the caller then hands the
/// whole document to `JSONDecoder`. Check the bytes with ``isValidUTF8(_:)`` first.
///
/// The reader is on the webhook ingest hot path (tens of thousands of calls per order), so its
/// methods are `@inlinable`: readers in other modules compile them into their own loops.
@frozen
public struct FastJSONReader {
    /// Thrown where the reader is not certain to agree with `JSONDecoder`.
    @frozen
    public struct Fallback: Error {
        /// Creates the error.
        @inlinable
        public init() {}
    }

    @usableFromInline let base: UnsafePointer<UInt8>
    @usableFromInline let count: Int
    /// The offset of the next byte to read.
    @usableFromInline var i = 0
    /// How many objects and arrays are open.
    @usableFromInline var depth = 0

    /// The deepest nesting of objects and arrays it reads (deeper documents throw ``Fallback``).
    @inlinable
    public static var maxDepth: Int { 64 }

    /// A reader at the start of the `count` bytes at `base`, which must stay valid while it reads.
    @inlinable
    public init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }
}
