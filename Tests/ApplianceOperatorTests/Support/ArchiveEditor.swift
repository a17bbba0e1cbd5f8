import ApplianceStorage
import Foundation

/// Reads a `.tar.gz` into memory and writes it back changed (a valid gzip and tar around
/// whatever content a test wants to damage).
struct ArchiveEditor {
    struct Entry {
        var header: TarHeader
        var bytes: [UInt8]
    }

    var entries: [Entry] = []

    init(path: String) throws {
        var reader = TarReader(source: try GzipReader(source: try InputFile(path: path)))
        while let header = try reader.next() {
            entries.append(Entry(header: header, bytes: try reader.readContent()))
        }
    }

    /// The index of the first entry whose name matches.
    func index(where match: (String) -> Bool) -> Int? { entries.firstIndex { match($0.header.name) } }

    func write(to path: String) throws {
        try? FileManager.default.removeItem(atPath: path)
        let file = try OutputFile(path: path, exclusive: true)
        let gzip = try GzipWriter(sink: file)
        var tar = TarWriter(sink: gzip)
        for entry in entries {
            try tar.begin(entry.header)
            try entry.bytes.withUnsafeBytes { try tar.writeContent($0) }
            try tar.endFile()
        }
        try tar.finish()
        try gzip.finish()
        file.close()
    }

    /// Raw header blocks, for entry kinds TarHeader will not write (symlinks, ...).
    static func rawHeader(name: String, type: UInt8, size: Int = 0, linkName: String = "") -> [UInt8] {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ s: String, _ offset: Int) { for (i, b) in s.utf8.enumerated() { block[offset + i] = b } }
        put(name, 0)
        put("0000600", 100)
        put("0000000", 108)
        put("0000000", 116)
        put(String(repeating: "0", count: 11 - String(size, radix: 8).count) + String(size, radix: 8), 124)
        put("00000000000", 136)
        block[156] = type
        put(linkName, 157)
        put("ustar", 257)
        put("00", 263)
        for i in 148..<156 { block[i] = 0x20 }
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - digits.count) + digits, 148)
        block[154] = 0
        block[155] = 0x20
        return block
    }
}
