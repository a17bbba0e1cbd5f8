extension ReadableFile {
    /// The length of the longest prefix of the first `limit` bytes that ends with `\n`
    /// (0 when there is none): the part of a growing JSON-lines file that holds whole lines.
    public func lengthOfWholeLines(within limit: Int) throws -> Int {
        let chunk = 64 * 1024
        var end = min(limit, size)
        var buffer = [UInt8](repeating: 0, count: chunk)
        while end > 0 {
            let start = max(0, end - chunk)
            let n = try buffer.withUnsafeMutableBytes { raw in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[0..<(end - start)]), at: Int64(start))
            }
            guard n == end - start else { throw ArchiveError(.sizeMismatch, "\(path) is shorter than when it was opened") }
            if let last = buffer[0..<n].lastIndex(of: 0x0A) { return start + last + 1 }
            end = start
        }
        return 0
    }
}
