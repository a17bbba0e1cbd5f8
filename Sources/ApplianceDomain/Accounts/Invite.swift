/// One invite as the data root's `invites.jsonl` keeps it: only the code's hash.
public struct Invite: Sendable, Equatable {
    /// Hex SHA-256 of the code.
    public let hash: String
    /// The email it is for (normalised), or nil for anyone.
    public let email: String?
    /// When it was made and when it stops working (ms since 1970).
    public let createdAt: Int64
    public let expiresAt: Int64
}
