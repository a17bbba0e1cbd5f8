/// What is at a path, without following a symlink (`lstat`).
public enum FileKind: Sendable, Equatable {
    /// A regular file.
    case file
    /// A directory.
    case directory
    /// Anything else: a symlink, a socket, a device, a FIFO.
    case other
    /// Nothing (any more).
    case missing
}
