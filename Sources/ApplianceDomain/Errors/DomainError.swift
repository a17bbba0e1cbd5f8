/// A business-rule error with a stable `code`; the HTTP edge maps codes to statuses.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure. The HTTP layer maps each to one status.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// Input that fails validation (422); the message names the field.
        public static let invalid = Code("invalid")
        /// The email is taken (409).
        public static let emailTaken = Code("email_taken")
        /// Wrong email or password (401).
        public static let badCredentials = Code("bad_credentials")
        /// Missing, malformed or expired token (401).
        public static let unauthorized = Code("unauthorized")
        /// Too many attempts (429); see `retryAfter`.
        public static let throttled = Code("throttled")
        /// A check that the caller failed which is not about credentials (403), e.g. Meta's
        /// `hub.verify_token`.
        public static let forbidden = Code("forbidden")
        /// Sign-up is not open to this caller (403); the message says how to get an account.
        public static let signupClosed = Code("signup_closed")
        /// An invite code that is unknown, used, expired or for another email (403).
        public static let inviteInvalid = Code("invite_invalid")
        /// No such tenant or order for this caller (404).
        public static let notFound = Code("not_found")
        /// A state change that the rules do not allow (409).
        public static let conflict = Code("conflict")
        /// Shopify signature missing or wrong, or no secret configured (401).
        public static let badSignature = Code("bad_signature")
        /// The tenant is stopped by damage to its files (503).
        public static let tenantUnavailable = Code("tenant_unavailable")
        /// The write could not be made durable (503).
        public static let storageUnavailable = Code("storage_unavailable")
        /// The request body exceeds the limit (413).
        public static let tooLarge = Code("payload_too_large")
    }

    public let code: Code
    /// What the client is told: never a file path, an errno text or a stack trace.
    public let message: String
    /// Seconds after which a throttled caller may retry.
    public let retryAfter: Int?
    /// For the operator's log only (the underlying storage error with its path and errno).
    public let detail: String?

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil, detail: String? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.detail = detail
    }

    public var description: String { detail.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)" }

    public static func == (a: DomainError, b: DomainError) -> Bool {
        a.code == b.code && a.message == b.message && a.retryAfter == b.retryAfter
    }
}
