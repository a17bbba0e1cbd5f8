/// What recovering a journal directory found.
public struct RecoveryReport: Sendable {
    /// A segment of the journal as found on disk.
    public struct Segment: Sendable, Equatable {
        public var name: String
        public var firstSeq: UInt64
        public var size: Int
    }

    /// A bad tail of the last segment: cut off (repair) or only reported (read-only).
    public struct TornTail: Sendable, Equatable {
        public var segment: String
        public var offset: Int
        public var length: Int
        public var reason: String
        /// Where the cut-off bytes were kept (repair mode only).
        public var keptAs: String?
    }

    /// The sequence number of the snapshot that was loaded, if any.
    public var snapshotSeq: UInt64?
    /// The highest sequence number recovered (snapshot or record); 0 for an empty journal.
    public var lastSeq: UInt64 = 0
    /// How many records were replayed (those after the snapshot).
    public var replayed = 0
    /// Bytes of journal replayed after the snapshot.
    public var replayedBytes = 0
    /// The segments, in sequence order.
    public var segments: [Segment] = []
    /// The torn tail that was found, if any.
    public var tornTail: TornTail?
    /// Snapshots that did not verify (renamed to `.broken` in repair mode).
    public var brokenSnapshots: [String] = []
    /// All snapshot sequence numbers present and valid, oldest first.
    public var snapshots: [UInt64] = []
}
