import ApplianceStorage
import Foundation
import Testing

/// The hand-written tar and the zlib gzip: round trips, what the system's `gzip` and `tar`
/// make of the output, and refusal of damaged or unsafe archives.
@Suite struct ArchiveTests {
    struct Entry: Equatable {
        var name: String
        var directory: Bool
        var bytes: [UInt8]
    }

    static func sampleEntries() -> [Entry] {
        var random = SystemRandomNumberGenerator()
        let big = (0..<(1 << 20) + 17).map { _ in UInt8.random(in: 0...255, using: &random) }
        let longFolder = "data/" + String(repeating: "f", count: 90)
        return [
            Entry(name: "data", directory: true, bytes: []),
            Entry(name: "data/format.json", directory: false, bytes: Array(#"{"format":1}"#.utf8) + [10]),
            Entry(name: "data/empty", directory: false, bytes: []),
            Entry(name: "data/block", directory: false, bytes: [UInt8](repeating: 0x41, count: 512)),
            Entry(name: "data/random.bin", directory: false, bytes: big),
            Entry(name: longFolder, directory: true, bytes: []),
            Entry(name: longFolder + "/" + String(repeating: "n", count: 60) + ".jsonl", directory: false, bytes: Array("line\n".utf8)),
        ]
    }

    static func write(_ entries: [Entry], to sink: any ByteSink) throws {
        var tar = TarWriter(sink: sink)
        for e in entries {
            if e.directory { try tar.appendDirectory(e.name, mtime: 1_750_000_000) } else { try tar.appendFile(e.name, contents: e.bytes, mtime: 1_750_000_000) }
        }
        try tar.finish()
    }

    static func read(_ source: any ByteSource) throws -> [Entry] {
        var reader = TarReader(source: source)
        var out: [Entry] = []
        while let header = try reader.next() {
            out.append(Entry(name: header.name, directory: header.kind == .directory, bytes: try reader.readContent()))
        }
        return out
    }

    static func gzipFile(_ entries: [Entry], at path: String, level: Int32 = 6) throws {
        let file = try OutputFile(path: path, exclusive: true)
        let gzip = try GzipWriter(sink: file, level: level)
        try write(entries, to: gzip)
        try gzip.finish()
        try file.sync()
        file.close()
    }

    @Test func tarGzipRoundTripAndTheSystemToolsAgree() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        let entries = Self.sampleEntries()
        let path = tmp.sub("sample.tar.gz")
        try Self.gzipFile(entries, at: path)

        // Our reader.
        let back = try Self.read(try GzipReader(source: try InputFile(path: path)))
        #expect(back == entries)
        // The output is a gzip stream (magic 1f 8b, deflate).
        let raw = try readBytes(path)
        #expect(raw.prefix(3) == [0x1F, 0x8B, 0x08])

        // gzip -t, tar -tzf and tar -xzf of the system accept it.
        let gzipTest = try Tool.run("gzip", ["-t", path])
        #expect(gzipTest.status == 0, "gzip -t: \(gzipTest)")
        let list = try Tool.run("tar", ["-tzf", path])
        #expect(list.status == 0, "tar -tzf: \(list)")
        let expectedNames = entries.map { $0.directory ? $0.name + "/" : $0.name }
        #expect(list.stdout.split(separator: "\n").map(String.init) == expectedNames)
        let out = tmp.sub("x")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: false)
        let extract = try Tool.run("tar", ["-xzf", path, "-C", out])
        #expect(extract.status == 0, "tar -xzf: \(extract)")
        for e in entries {
            let p = out + "/" + e.name
            #expect(permissions(p) == (e.directory ? 0o700 : 0o600), "\(e.name)")
            if !e.directory { #expect(try readBytes(p) == e.bytes, "\(e.name)") }
        }
    }

    @Test func readsWhatTheSystemTarWrites() throws {
        let tmp = try TempDirectory()
        defer { tmp.remove() }
        try FileManager.default.createDirectory(atPath: tmp.sub("src/data/7"), withIntermediateDirectories: true)
        try writeBytes(Array("{\"format\":1}\n".utf8), to: tmp.sub("src/data/format.json"))
        try writeBytes([UInt8](repeating: 7, count: 100_000), to: tmp.sub("src/data/7/journal.jsonl"))
        let made = try Tool.run("tar", ["-czf", tmp.sub("sys.tar.gz"), "-C", tmp.sub("src"), "data"])
        #expect(made.status == 0, "\(made)")
        let entries = try Self.read(try GzipReader(source: try InputFile(path: tmp.sub("sys.tar.gz"))))
        #expect(Set(entries.map(\.name)) == ["data", "data/7", "data/format.json", "data/7/journal.jsonl"])
        #expect(entries.first { $0.name == "data/7/journal.jsonl" }?.bytes == [UInt8](repeating: 7, count: 100_000))
    }

    @Test func gzipConcatenatedMembersReadAsOneStream() throws {
        let sink = MemoryByteSink()
        for part in ["first ", "second"] {
            let gzip = try GzipWriter(sink: sink)
            try gzip.write(Array(part.utf8))
            try gzip.finish()
        }
        let reader = try GzipReader(source: MemoryByteSource(sink.bytes))
        #expect(String(decoding: try reader.read(upTo: 100), as: UTF8.self) == "first second")
    }

    @Test func damagedOrCutGzipIsRefused() throws {
        let sink = MemoryByteSink()
        let gzip = try GzipWriter(sink: sink)
        try Self.write(Self.sampleEntries(), to: gzip)
        try gzip.finish()
        let good = sink.bytes

        // A flipped byte in the compressed data: deflate or the CRC-32 check fails.
        for offset in [good.count / 3, good.count / 2, good.count - 6] {
            var bad = good
            bad[offset] ^= 0x20
            #expect(throws: ArchiveError.self) { _ = try Self.read(try GzipReader(source: MemoryByteSource(bad))) }
        }
        // The CRC-32 trailer itself.
        var badCRC = good
        badCRC[good.count - 8] ^= 0x01
        #expect { _ = try Self.read(try GzipReader(source: MemoryByteSource(badCRC))) } throws: { error in
            (error as? ArchiveError)?.code == .gzip
        }
        // Cut short.
        #expect { _ = try Self.read(try GzipReader(source: MemoryByteSource(Array(good.prefix(good.count - 100))))) } throws: { error in
            (error as? ArchiveError)?.code == .truncated
        }
        // Garbage after the stream.
        #expect { _ = try Self.read(try GzipReader(source: MemoryByteSource(good + [1, 2, 3]))) } throws: { error in
            (error as? ArchiveError)?.code == .gzip
        }
        // Not gzip at all.
        #expect(throws: ArchiveError.self) { _ = try Self.read(try GzipReader(source: MemoryByteSource(Array("plain text".utf8)))) }
    }

    @Test func tarHeaderChecksumAndEntryTypesAreChecked() throws {
        let header = TarHeader(name: "data/1/journal.jsonl", kind: .file, mode: 0o600, size: 12, mtime: 1_750_000_000)
        var block = try header.encode()
        #expect(try TarHeader.decode(block) == header)
        block[10] ^= 0x01
        #expect { _ = try TarHeader.decode(block) } throws: { ($0 as? ArchiveError)?.code == .tarFormat }

        // Symlinks, hard links, devices, FIFOs, pax and GNU long-name headers are refused.
        for type in ["1", "2", "3", "4", "6", "x", "g", "L"] {
            var other = try TarHeader(name: "data/evil", kind: .file, mode: 0o600, mtime: 0).encode()
            other[156] = UInt8(ascii: Character(type).unicodeScalars.first!)
            for i in 148..<156 { other[i] = 0x20 }
            let sum = other.reduce(0) { $0 + Int($1) }
            let digits = Array(String(sum, radix: 8).utf8)
            for i in 148..<156 { other[i] = 0 }
            for (i, d) in (Array(repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits).enumerated() { other[148 + i] = d }
            other[155] = 0x20
            #expect { _ = try TarHeader.decode(other) } throws: { ($0 as? ArchiveError)?.code == .unsafeEntry }
        }

        // Sizes beyond 8 GiB use base-256.
        let huge = TarHeader(name: "data/huge", kind: .file, mode: 0o600, size: 20 << 30, mtime: 1)
        #expect(try TarHeader.decode(huge.encode())?.size == 20 << 30)
        // A name that cannot be split is refused when writing.
        #expect { _ = try TarHeader(name: String(repeating: "x", count: 120), kind: .file, mode: 0o600, mtime: 0).encode() } throws: {
            ($0 as? ArchiveError)?.code == .nameTooLong
        }
    }

    @Test func unsafeNamesAreRefused() throws {
        #expect(try ArchivePath.components(of: "data/1/journal.jsonl") == ["data", "1", "journal.jsonl"])
        #expect(try ArchivePath.components(of: "./data/") == ["data"])
        for bad in ["/etc/passwd", "../x", "data/../../x", "data/./x", "data//x", "", "data/.."] {
            #expect { _ = try ArchivePath.components(of: bad) } throws: { ($0 as? ArchiveError)?.code == .unsafeEntry }
        }
    }

    @Test func tarWriterKeepsEntriesToTheirAnnouncedSize() throws {
        var tar = TarWriter(sink: MemoryByteSink())
        let two: [UInt8] = [1, 2]
        try tar.begin(TarHeader(name: "a", kind: .file, mode: 0o600, size: 3, mtime: 0))
        try two.withUnsafeBytes { try tar.writeContent($0) }
        #expect { try tar.endFile() } throws: { ($0 as? ArchiveError)?.code == .sizeMismatch }
        #expect { try two.withUnsafeBytes { try tar.writeContent($0) } } throws: { ($0 as? ArchiveError)?.code == .sizeMismatch }
    }
}
