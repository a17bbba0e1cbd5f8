import CZlib

/// Decompresses a gzip stream (RFC 1952) read from another ``ByteSource``, through zlib's
/// inflate, which checks each member's CRC-32 and length trailer: damage anywhere in the
/// stream is an ``ArchiveError/Code/gzip`` error, a cut-off stream ``ArchiveError/Code/truncated``.
///
/// Several gzip members one after another read as one stream (as `gzip -d` does); any other
/// bytes after the last member are an error.
public final class GzipReader: ByteSource {
    let source: any ByteSource
    let stream: UnsafeMutablePointer<z_stream>
    var input: [UInt8]
    /// Where the unread input starts in `input`, and where it ends.
    var inputStart = 0
    var inputEnd = 0
    var sourceEnded = false
    /// The current member ended; the next bytes start another member or end the stream.
    var memberEnded = false
    var ended = false
    /// Compressed bytes read from the source so far.
    public private(set) var bytesIn: UInt64 = 0
    /// Decompressed bytes produced so far.
    public private(set) var bytesOut: UInt64 = 0

    public init(source: any ByteSource, bufferSize: Int = 256 * 1024) throws {
        self.source = source
        self.input = [UInt8](repeating: 0, count: bufferSize)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // `inflateInit2` is a C macro; 15 + 16: a gzip stream only (no zlib or raw deflate).
        let rc = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ArchiveError(.gzip, "inflateInit2 failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Refills the input buffer when it is empty; false when the source is exhausted.
    func refill() throws -> Bool {
        if inputStart < inputEnd { return true }
        if sourceEnded { return false }
        let n = try input.withUnsafeMutableBytes { try source.read(into: $0) }
        inputStart = 0
        inputEnd = n
        bytesIn += UInt64(n)
        if n == 0 { sourceEnded = true }
        return n > 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !ended, buffer.count > 0 else { return 0 }
        while true {
            if memberEnded {
                // Another member, or the end of the stream.
                guard try refill() else {
                    ended = true
                    return 0
                }
                guard input[inputStart] == 0x1F else {
                    throw ArchiveError(.gzip, "unexpected data after the end of the gzip stream")
                }
                guard inflateReset(stream) == Z_OK else { throw ArchiveError(.gzip, "inflateReset failed") }
                memberEnded = false
            }
            let hasInput = try refill()
            let (rc, consumed, produced) = input.withUnsafeMutableBytes { inRaw -> (Int32, Int, Int) in
                let available = inputEnd - inputStart
                stream.pointee.next_in = (inRaw.baseAddress! + inputStart).assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = UInt32(available)
                stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
                let before = Int(stream.pointee.avail_out)
                let rc = inflate(stream, Z_NO_FLUSH)
                return (rc, available - Int(stream.pointee.avail_in), before - Int(stream.pointee.avail_out))
            }
            inputStart += consumed
            bytesOut += UInt64(produced)
            switch rc {
            case Z_STREAM_END:
                memberEnded = true
                if produced > 0 { return produced }
            case Z_OK:
                if produced > 0 { return produced }
            case Z_BUF_ERROR:
                // No progress possible: more input is needed.
                if !hasInput { throw ArchiveError(.truncated, "the gzip stream is cut short") }
            case Z_DATA_ERROR:
                let why = stream.pointee.msg.map { String(cString: $0) } ?? "invalid data"
                throw ArchiveError(.gzip, "the gzip stream is damaged: \(why)")
            default:
                throw ArchiveError(.gzip, "inflate failed (\(rc))")
            }
            if !hasInput && produced == 0 && consumed == 0 {
                throw ArchiveError(.truncated, "the gzip stream is cut short")
            }
        }
    }
}
