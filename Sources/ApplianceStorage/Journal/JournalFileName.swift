/// Names of the files in a journal directory: `journal-<first seq>.jsonl` segments and
/// `snapshot-<seq>.bin` snapshots, with the sequence number zero-padded to 20 digits so that
/// names sort in sequence order.
public enum JournalFileName {
    /// The segment whose first record has sequence number `firstSeq`.
    public static func segment(_ firstSeq: UInt64) -> String { "journal-\(pad(firstSeq)).jsonl" }
    /// The snapshot of the state at `seq`.
    public static func snapshot(_ seq: UInt64) -> String { "snapshot-\(pad(seq)).bin" }

    /// The first sequence number of a segment name, or nil when `name` is not a segment.
    public static func parseSegment(_ name: String) -> UInt64? { parse(name, prefix: "journal-", suffix: ".jsonl") }
    /// The sequence number of a snapshot name, or nil when `name` is not a snapshot.
    public static func parseSnapshot(_ name: String) -> UInt64? { parse(name, prefix: "snapshot-", suffix: ".bin") }

    /// Whether `name` is a journal segment.
    public static func isSegment(_ name: String) -> Bool { parseSegment(name) != nil }
    /// Whether `name` is a snapshot.
    public static func isSnapshot(_ name: String) -> Bool { parseSnapshot(name) != nil }

    /// The suffix of the temporary file an atomic write goes through before its rename.
    public static let temporarySuffix = ".tmp"

    /// Whether `name` is scratch, never data: the data directory's lock file or a half-written
    /// temporary file.
    public static func isScratch(_ name: String) -> Bool {
        name == DataDirectoryLock.fileName || name.hasSuffix(temporarySuffix)
    }

    static func pad(_ n: UInt64) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 20 - s.count)) + s
    }

    static func parse(_ name: String, prefix: String, suffix: String) -> UInt64? {
        guard name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        let digits = name.dropFirst(prefix.count).dropLast(suffix.count)
        guard digits.count == 20 else { return nil }
        return UInt64(digits)
    }

    /// The header line that opens every segment.
    public static func header(segment: UInt64, firstSeq: UInt64) -> [UInt8] {
        Array(#"{"journal":1,"segment":\#(segment),"first_seq":\#(firstSeq)}"#.utf8) + [0x0A]
    }
}
