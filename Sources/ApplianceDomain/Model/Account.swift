/// A merchant's login. Lives in the tenant's own journal.
public struct Account: Codable, Sendable, Equatable {
    public var id: Int
    /// Trimmed and lower-cased.
    public var email: String
    /// Argon2id encoded hash (`$argon2id$v=19$m=...`).
    public var passwordHash: String
    public var createdAt: Int64
    /// When the password last changed (ms); tokens issued before it are refused.
    public var passwordChangedAt: Int64

    public init(id: Int, email: String, passwordHash: String, createdAt: Int64, passwordChangedAt: Int64) {
        self.id = id
        self.email = email
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, email, passwordHash = "password_hash", createdAt = "created_at", passwordChangedAt = "password_changed_at"
    }
}
