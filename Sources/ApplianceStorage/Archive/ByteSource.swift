/// Somewhere bytes are read from in order: a file, a decompressor, a buffer.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`; returns how many, 0 only at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Reads up to `count` bytes; fewer only at the end, an empty array once it is reached.
    public func read(upTo count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBytes { raw in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            if n == 0 { break }
            filled += n
        }
        if filled < count { out.removeLast(count - filled) }
        return out
    }
}
