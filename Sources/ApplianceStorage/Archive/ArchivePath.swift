/// The rules for names inside an archive being extracted: relative paths made only of plain
/// components. An absolute path, `..`, `.` or an empty component (which could point outside
/// the target, or be read differently by another tool) is refused.
public enum ArchivePath {
    /// The components of `name` (a leading `./` and a trailing `/` are allowed and dropped).
    /// Throws ``ArchiveError/Code/unsafeEntry`` for a name that could leave the target directory.
    public static func components(of name: String) throws -> [String] {
        func refuse(_ why: String) -> ArchiveError { ArchiveError(.unsafeEntry, "entry \"\(name)\": \(why)") }
        var rest = Substring(name)
        if rest.hasPrefix("/") { throw refuse("absolute path") }
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.isEmpty else { throw refuse("empty name") }
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        for part in parts {
            if part.isEmpty { throw refuse("empty path component") }
            if part == ".." { throw refuse("parent-directory component (..)") }
            if part == "." { throw refuse("current-directory component (.)") }
            if part.utf8.contains(0) { throw refuse("NUL in the name") }
        }
        return parts.map(String.init)
    }
}
