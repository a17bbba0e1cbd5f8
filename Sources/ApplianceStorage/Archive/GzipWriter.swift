import CZlib

/// Compresses everything written to it into a gzip stream (RFC 1952) on another ``ByteSink``,
/// through zlib's deflate with `windowBits` 15 + 16 (gzip header and CRC-32/length trailer).
/// Call ``finish()`` once at the end; a writer that is never finished leaves an invalid stream.
public final class GzipWriter: ByteSink {
    let sink: any ByteSink
    let stream: UnsafeMutablePointer<z_stream>
    var output: [UInt8]
    var finished = false
    /// Uncompressed bytes taken so far.
    public private(set) var bytesIn: UInt64 = 0
    /// Compressed bytes given to the sink so far.
    public private(set) var bytesOut: UInt64 = 0

    /// - Parameters:
    ///   - sink: where the compressed stream goes.
    ///   - level: zlib level, 1 (fastest) to 9 (smallest); 6 is zlib's default.
    public init(sink: any ByteSink, level: Int32 = 6, bufferSize: Int = 256 * 1024) throws {
        self.sink = sink
        self.output = [UInt8](repeating: 0, count: bufferSize)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // `deflateInit2` is a C macro; call the function it expands to.
        let rc = deflateInit2_(stream, max(1, min(9, level)), Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                               ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw ArchiveError(.gzip, "deflateInit2 failed (\(rc))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw ArchiveError(.gzip, "write after finish") }
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var offset = 0
        // `avail_in` is 32-bit: feed at most 1 GiB per call.
        while offset < bytes.count {
            let n = min(bytes.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(mutating: (base + offset).assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = UInt32(n)
            try run(flush: Z_NO_FLUSH)
            offset += n
        }
        bytesIn += UInt64(bytes.count)
    }

    /// Flushes the rest and writes the gzip trailer (CRC-32 and length).
    public func finish() throws {
        guard !finished else { return }
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(flush: Z_FINISH)
        finished = true
    }

    func run(flush: Int32) throws {
        try output.withUnsafeMutableBytes { out in
            let capacity = out.count
            while true {
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = UInt32(capacity)
                let rc = deflate(stream, flush)
                guard rc == Z_OK || rc == Z_STREAM_END || rc == Z_BUF_ERROR else {
                    throw ArchiveError(.gzip, "deflate failed (\(rc))")
                }
                let produced = capacity - Int(stream.pointee.avail_out)
                if produced > 0 {
                    try sink.write(UnsafeRawBufferPointer(rebasing: out[0..<produced]))
                    bytesOut += UInt64(produced)
                }
                if flush == Z_FINISH {
                    if rc == Z_STREAM_END { return }
                } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 {
                    return
                }
            }
        }
    }
}
