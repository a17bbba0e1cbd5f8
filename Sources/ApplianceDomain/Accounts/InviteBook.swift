import ApplianceStorage
import Foundation
import Synchronization

/// The one-time invite codes of a data directory, in the global file `invites.jsonl` of the data
/// root: one JSON line per event (`invite`, `used`, `released`), appended and synced to disk before the
/// caller says ok. Only the codes' hashes are stored. `user invite` appends while `serve` runs
/// (each line is one `write` to a file opened with `O_APPEND`, so lines never interleave); the
/// server reads the file when a code is presented, so a new invite works at once. A code is
/// claimed in memory first (one claim at a time per code) and recorded `used` durably before
/// the account is made, so concurrent sign-ups cannot both use it.
public final class InviteBook: Sendable {
    public static let fileName = "invites.jsonl"
    let fs: any FileSystem
    let root: String
    let claims = Mutex<Set<String>>([])

    public init(root: String, fs: any FileSystem = PosixFileSystem()) {
        self.root = root
        self.fs = fs
    }

    var path: String { root + "/" + Self.fileName }

    /// The hash stored for `code`.
    public static func hash(_ code: String) -> String {
        HMACSHA256.sha256(Array(code.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Makes an invite valid for `days` days (for `email` only, when given) and returns its code,
    /// once the invite is on disk.
    public func create(email: String?, days: Int, now: Int64) throws -> String {
        let code = SecureRandom.bytes(18).map { String(format: "%02x", $0) }.joined()
        var line: [String: Any] = ["t": "invite", "h": Self.hash(code), "created": now, "expires": now + Int64(days) * 86_400_000]
        if let email { line["email"] = email }
        try append(line)
        return code
    }

    /// Every invite and the hashes used now.
    public func read() throws -> (invites: [String: Invite], used: Set<String>) {
        guard fs.exists(path) else { return ([:], []) }
        var invites: [String: Invite] = [:]
        var used: Set<String> = []
        for raw in try fs.readFile(at: path).split(separator: UInt8(ascii: "\n")) {
            // A torn last line (a crash mid-append) is skipped: its invite was never reported.
            guard let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any],
                  let kind = object["t"] as? String, let hash = object["h"] as? String else { continue }
            switch kind {
            case "invite":
                guard let created = (object["created"] as? NSNumber)?.int64Value,
                      let expires = (object["expires"] as? NSNumber)?.int64Value else { continue }
                invites[hash] = Invite(hash: hash, email: object["email"] as? String, createdAt: created, expiresAt: expires)
            case "used": used.insert(hash)
            case "released": used.remove(hash)
            default: continue
            }
        }
        return (invites, used)
    }

    /// A code held by one sign-up until it is ``consume(_:userID:now:)``d or ``release(_:now:)``d.
    public struct Claim: Sendable {
        let hash: String
    }

    /// The answer to a code that is unknown, used, expired, claimed now or for another email.
    public static let invalid = DomainError(.inviteInvalid, "this invite is not valid: it is unknown, used or expired; ask for a new one")

    /// Claims `code` for `email` (normalised): it must exist, be unused, unexpired, not claimed
    /// by a concurrent sign-up, and name this email when it names one.
    public func claim(code: String, email: String, now: Int64) throws(DomainError) -> Claim {
        let invalid = Self.invalid
        let hash = Self.hash(code)
        guard code.utf8.count <= 128, let (invites, used) = try? read(), let invite = invites[hash], !used.contains(hash),
              invite.expiresAt > now, invite.email == nil || invite.email == email else { throw invalid }
        let claimed = claims.withLock { $0.insert(hash).inserted }
        guard claimed else { throw invalid }
        return Claim(hash: hash)
    }

    /// Records the claimed code as used, durably. On failure the claim is let go.
    public func consume(_ claim: Claim, userID: Int?, now: Int64) throws(DomainError) {
        do {
            var line: [String: Any] = ["t": "used", "h": claim.hash, "at": now]
            if let userID { line["user"] = userID }
            try append(line)
        } catch {
            claims.withLock { _ = $0.remove(claim.hash) }
            throw DomainError(.storageUnavailable, "the invite could not be recorded; retry later", detail: "\(error)")
        }
    }

    /// Gives the code back (the account could not be made): it works again.
    public func release(_ claim: Claim, now: Int64) {
        try? append(["t": "released", "h": claim.hash, "at": now])
        claims.withLock { _ = $0.remove(claim.hash) }
    }

    func append(_ object: [String: Any]) throws {
        var line = Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        line.append(UInt8(ascii: "\n"))
        let created = !fs.exists(path)
        let file = try fs.openForAppend(at: path, create: true)
        defer { file.close() }
        try file.append(line)
        try file.sync()
        if created { try fs.syncDirectory(at: root) }
    }
}
