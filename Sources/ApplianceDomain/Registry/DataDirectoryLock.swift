#if canImport(Glibc)
import Glibc
#endif

/// An exclusive advisory lock (`flock`) on `<root>/.lock`, held by `serve` and by commands that
/// write the data directory, so two writers never share it.
public final class DataDirectoryLock: Sendable {
    let fd: Int32

    /// Takes the lock or throws a `conflict` error saying who holds it.
    public init(root: String) throws(DomainError) {
        let path = root + "/.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw DomainError(.invalid, "cannot open \(path)") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            close(fd)
            throw DomainError(.conflict, "the data directory \(root) is in use by a running `serve`; stop it first")
        }
        self.fd = fd
    }

    /// Whether some process holds the lock now (without taking it).
    public static func isHeld(root: String) -> Bool {
        let fd = open(root + "/.lock", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 { return true }
        flock(fd, LOCK_UN)
        return false
    }

    deinit {
        flock(fd, LOCK_UN)
        close(fd)
    }
}
