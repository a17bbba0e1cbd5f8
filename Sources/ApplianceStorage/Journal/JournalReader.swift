import Logging
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a journal directory: the newest valid snapshot, then every record after it, checking
/// framing, checksums and sequence contiguity.
///
/// A torn, invalid or zero-filled tail is tolerated only at the end of the last segment: in
/// ``Mode/repair`` it is copied aside as `<segment>.broken-<offset>` and cut off; in
/// ``Mode/readOnly`` it is only reported. Damage anywhere else throws a ``StorageError`` with
/// code `.corrupt` or `.sequenceGap`.
public enum JournalReader {
    /// Whether recovery may change files.
    public enum Mode: Sendable { case repair, readOnly }

    /// Recovers `directory`, calling `onSnapshot` with the loaded snapshot's payload and then
    /// `onRecord` with each later record's `rec` bytes, in sequence order.
    public static func recover(
        directory: String,
        fs: any FileSystem,
        mode: Mode,
        logger: Logger? = nil,
        onSnapshot: (UInt64, ArraySlice<UInt8>) throws -> Void,
        onRecord: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws -> RecoveryReport {
        var report = RecoveryReport()
        let names = try fs.contentsOfDirectory(at: directory)
        let snapshotSeqs = names.compactMap(JournalFileName.parseSnapshot).sorted(by: >)
        var segments = names.compactMap { name in JournalFileName.parseSegment(name).map { (name, $0) } }
            .sorted { $0.1 < $1.1 }

        // 1. Newest valid snapshot.
        for seq in snapshotSeqs {
            let name = JournalFileName.snapshot(seq)
            let path = directory + "/" + name
            let bytes = try fs.readFile(at: path)
            switch SnapshotFile.decode(bytes) {
            case .success(let decoded) where decoded.seq == seq:
                if report.snapshotSeq == nil {
                    try onSnapshot(seq, bytes[decoded.payload])
                    report.snapshotSeq = seq
                    report.lastSeq = seq
                }
                report.snapshots.insert(seq, at: 0)
            case .success, .failure:
                report.brokenSnapshots.append(name)
                logger?.error("snapshot does not verify", metadata: ["path": "\(path)"])
                if mode == .repair {
                    try fs.rename(from: path, to: path + ".broken")
                    try fs.syncDirectory(at: directory)
                }
            }
        }
        let snapshotSeq = report.snapshotSeq ?? 0

        // 2. Replay segments.
        var previous: UInt64? = nil
        var index = 0
        while index < segments.count {
            let (name, firstSeq) = segments[index]
            let isLast = index == segments.count - 1
            let path = directory + "/" + name
            let bytes = try fs.readFile(at: path)
            report.segments.append(.init(name: name, firstSeq: firstSeq, size: bytes.count))
            let outcome = try bytes.withUnsafeBytes { raw in
                try replaySegment(raw, name: name, firstSeq: firstSeq, isLast: isLast,
                                  snapshotSeq: snapshotSeq, previous: &previous, report: &report, onRecord: onRecord)
            }
            if let tail = outcome {
                if mode == .repair {
                    let keptAs = name + ".broken-\(tail.offset)"
                    try fs.writeAtomically(Array(bytes[tail.offset...]), to: directory + "/" + keptAs)
                    if tail.offset == 0 {
                        try fs.removeItem(at: path)
                        report.segments.removeLast()
                        segments.remove(at: index)
                    } else {
                        let file = try fs.openForAppend(at: path, create: false)
                        defer { file.close() }
                        try file.truncate(to: tail.offset)
                        try file.sync()
                        report.segments[report.segments.count - 1].size = tail.offset
                    }
                    try fs.syncDirectory(at: directory)
                    report.tornTail = RecoveryReport.TornTail(segment: name, offset: tail.offset, length: bytes.count - tail.offset,
                                                             reason: tail.reason, keptAs: keptAs)
                    logger?.warning("torn journal tail cut off and kept aside",
                                    metadata: ["segment": "\(path)", "offset": "\(tail.offset)", "kept_as": "\(keptAs)", "reason": "\(tail.reason)"])
                } else {
                    report.tornTail = RecoveryReport.TornTail(segment: name, offset: tail.offset, length: bytes.count - tail.offset,
                                                             reason: tail.reason, keptAs: nil)
                }
            }
            index += 1
        }
        if let previous, previous > report.lastSeq { report.lastSeq = previous }
        return report
    }

    struct Tail { var offset: Int; var reason: String }

    static func replaySegment(
        _ raw: UnsafeRawBufferPointer, name: String, firstSeq: UInt64, isLast: Bool, snapshotSeq: UInt64,
        previous: inout UInt64?, report: inout RecoveryReport,
        onRecord: (UInt64, UnsafeRawBufferPointer) throws -> Void
    ) throws -> Tail? {
        // Header line.
        guard let headerEnd = raw.firstIndex(of: 0x0A) else {
            if isLast { return Tail(offset: 0, reason: "incomplete segment header") }
            throw StorageError(.corrupt, "segment header incomplete", path: name)
        }
        let expectedHeaderPrefix = Array(#"{"journal":1,"segment":"#.utf8)
        let headerOK = headerEnd >= expectedHeaderPrefix.count
            && zip(raw[0..<expectedHeaderPrefix.count], expectedHeaderPrefix).allSatisfy { $0 == $1 }
            && String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<headerEnd]), as: UTF8.self).hasSuffix(#","first_seq":\#(firstSeq)}"#)
        guard headerOK else {
            if isLast && !containsValidRecord(raw, from: headerEnd + 1) {
                return Tail(offset: 0, reason: "bad segment header")
            }
            throw StorageError(.corrupt, "bad segment header", path: name)
        }
        var offset = headerEnd + 1
        var first = true
        while offset < raw.count {
            guard let newline = nextNewline(raw, from: offset) else {
                if isLast { return Tail(offset: offset, reason: "incomplete last record") }
                throw StorageError(.corrupt, "incomplete record at offset \(offset)", path: name)
            }
            switch RecordFrame.decode(raw, start: offset, newline: newline) {
            case .failure(let failure):
                let why: String
                switch failure {
                case .incomplete: why = "incomplete record"
                case .invalid(let s): why = s
                }
                if isLast && !containsValidRecord(raw, from: newline + 1) {
                    return Tail(offset: offset, reason: why)
                }
                throw StorageError(.corrupt, "invalid record at offset \(offset): \(why)", path: name)
            case .success(let decoded):
                if first && decoded.seq != firstSeq {
                    throw StorageError(.sequenceGap, "segment starts at seq \(decoded.seq), header says \(firstSeq)", path: name)
                }
                if let prev = previous {
                    guard decoded.seq == prev + 1 else {
                        throw StorageError(.sequenceGap, "seq \(decoded.seq) follows \(prev) at offset \(offset)", path: name)
                    }
                } else if decoded.seq > snapshotSeq + 1 {
                    throw StorageError(.sequenceGap, "journal starts at seq \(decoded.seq) but the snapshot ends at \(snapshotSeq)", path: name)
                }
                previous = decoded.seq
                first = false
                if decoded.seq > snapshotSeq {
                    try onRecord(decoded.seq, UnsafeRawBufferPointer(rebasing: raw[decoded.rec]))
                    report.replayed += 1
                    report.replayedBytes += newline + 1 - offset
                }
            }
            offset = newline + 1
        }
        if first, let prev = previous, firstSeq != prev + 1 {
            throw StorageError(.sequenceGap, "empty segment starts at \(firstSeq) after seq \(prev)", path: name)
        }
        if first, previous == nil, firstSeq > snapshotSeq + 1 {
            throw StorageError(.sequenceGap, "journal starts at seq \(firstSeq) but the snapshot ends at \(snapshotSeq)", path: name)
        }
        if first, previous == nil { previous = firstSeq - 1 }
        return nil
    }

    /// Whether any complete, valid record line starts after `offset`: if so, damage before it is
    /// mid-journal corruption rather than a torn tail.
    static func containsValidRecord(_ raw: UnsafeRawBufferPointer, from offset: Int) -> Bool {
        var start = offset
        while start < raw.count {
            guard let newline = nextNewline(raw, from: start) else { return false }
            if case .success = RecordFrame.decode(raw, start: start, newline: newline) { return true }
            start = newline + 1
        }
        return false
    }

    /// The index of the first `\n` at or after `offset` (memchr: the generic `firstIndex(of:)`
    /// on a buffer slice goes byte by byte and was a tenth of the CPU of a large boot).
    static func nextNewline(_ raw: UnsafeRawBufferPointer, from offset: Int) -> Int? {
        guard offset < raw.count, let base = raw.baseAddress else { return nil }
        guard let hit = memchr(base + offset, 0x0A, raw.count - offset) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}
