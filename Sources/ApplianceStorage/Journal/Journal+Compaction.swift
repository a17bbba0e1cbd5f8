import NIOPosix
import Synchronization

/// Compaction while writes continue (the Redis 7 shape, without a fork): seal the current
/// segment at seq S and open S+1 (``beginCompaction()``), let the owner copy its state at S
/// (a copy-on-write value), then write the snapshot in the background and drop what it makes
/// redundant (``finishCompaction(seq:payload:)``).
///
/// The previous snapshot and the segments after it are kept until the next compaction, so a
/// snapshot that fails to verify can fall back to the one before it with nothing lost.
extension Journal {
    /// Seals the current segment after the last handed-out record and starts a new one.
    ///
    /// Call it where no record can be enqueued concurrently by the owner (inside the tenant's
    /// actor), then copy the state: that copy is the state at the returned seq.
    /// Returns nil when a compaction is already running, the journal failed, or nothing was
    /// written since the last snapshot.
    public func beginCompaction() -> UInt64? {
        let (seq, start) = state.withLock { s -> (UInt64?, Bool) in
            let last = s.nextSeq - 1
            // `rotating`: an abandoned compaction's segment switch is still under way.
            if s.compacting || s.rotating || s.failure != nil || s.closed || last == (s.snapshots.last ?? 0) { return (nil, false) }
            s.compacting = true
            s.recordsSinceSnapshot = 0
            s.bytesSinceSnapshot = 0
            // The current segment may hold no record yet (an earlier compaction failed or was
            // abandoned, or recovery fell back past a broken snapshot): it already starts at
            // last + 1, so there is nothing to seal. Rotating would reopen it and append a second
            // header, which recovery then reads as corruption.
            if s.segments.last?.firstSeq == last + 1 { return (last, false) }
            s.rotating = true
            s.rotation = (s.pending.count, last + 1)
            let start = !s.flushing
            s.flushing = true
            return (last, start)
        }
        if start { startFlusher() }
        return seq
    }

    /// Writes the snapshot of the state at `seq` (temp file, fsync, rename, fsync of the
    /// directory), then removes the snapshots and segments older than the previous snapshot.
    public func finishCompaction(seq: UInt64, payload: [UInt8]) async throws {
        do {
            try await waitRotation()
            try await waitDurable(seq)
            let (segments, snapshots) = state.withLock { ($0.segments, $0.snapshots) }
            let removed = try await pool.runIfActive { [fs, directory] () -> (segments: Set<String>, snapshots: Set<UInt64>) in
                try fs.writeAtomically(SnapshotFile.encode(seq: seq, payload: payload),
                                       to: directory + "/" + JournalFileName.snapshot(seq))
                // Keep the previous snapshot and every segment holding records after it.
                let keepFrom = snapshots.last ?? 0
                var goneSegments = Set<String>()
                for i in segments.indices.dropLast() where segments[i + 1].firstSeq - 1 <= keepFrom {
                    try fs.removeItem(at: directory + "/" + segments[i].name)
                    goneSegments.insert(segments[i].name)
                }
                var goneSnapshots = Set<UInt64>()
                for old in snapshots where old < keepFrom {
                    try fs.removeItem(at: directory + "/" + JournalFileName.snapshot(old))
                    goneSnapshots.insert(old)
                }
                try fs.syncDirectory(at: directory)
                return (goneSegments, goneSnapshots)
            }
            state.withLock { s in
                s.segments.removeAll { removed.segments.contains($0.name) }
                s.snapshots.removeAll { removed.snapshots.contains($0) }
                s.snapshots.append(seq)
                s.compacting = false
            }
            StorageMetrics.recordCompaction(snapshotBytes: payload.count)
        } catch {
            state.withLock { $0.compacting = false }
            throw error
        }
    }

    /// Ends a compaction begun with ``beginCompaction()`` without writing a snapshot.
    public func abandonCompaction() {
        state.withLock { $0.compacting = false }
    }

    func waitRotation() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let immediate: Result<Void, any Error>? = state.withLock { s in
                if let failure = s.failure { return .failure(failure) }
                if !s.rotating { return .success(()) }
                s.rotationWaiters.append(continuation)
                return nil
            }
            if let immediate { continuation.resume(with: immediate) }
        }
    }
}
