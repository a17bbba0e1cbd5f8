/// Files read or written front to back in pieces (archives, restored files), on
/// ``InputFile`` and ``OutputFile``.
extension PosixFileSystem {
    public func openForReading(at path: String) throws -> any ReadableFile {
        do {
            return try InputFile(path: path)
        } catch {
            throw StorageError(error.code == .missing ? .notFound : .io, error.message, path: path)
        }
    }

    public func createFile(at path: String, exclusive: Bool) throws -> any WritableFile {
        do {
            return try OutputFile(path: path, exclusive: exclusive)
        } catch {
            throw StorageError(.io, error.message, path: path)
        }
    }
}
