/// One entry of a directory listing: its name (not its path) and its kind.
public struct DirectoryEntry: Sendable, Equatable {
    /// The entry's name within its directory.
    public var name: String
    /// What the entry is (``FileKind/missing`` when it vanished between listing and `lstat`).
    public var kind: FileKind

    public init(name: String, kind: FileKind) {
        self.name = name
        self.kind = kind
    }
}
