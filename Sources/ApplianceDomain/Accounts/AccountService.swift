import Foundation
import NIOPosix

/// Sign-up, log-in and token checks. Passwords are hashed with Argon2id on a thread pool,
/// never on an event loop; tokens are HS256 JWTs signed with the data root's key.
public final class AccountService: Sendable {
    public let registry: TenantRegistry
    let hasher: PasswordHasher
    public let signer: TokenSigner
    let clock: any WallClock
    public let throttle: LoginThrottle
    /// Who may sign up through the API.
    public let signupRules: SignupRules
    /// Sign-ups without an invite per client address (a one-hour window).
    let signupThrottle: LoginThrottle
    let pool: NIOThreadPool
    /// A hash to verify against when the email is unknown, so timing does not reveal accounts.
    let decoyHash: String

    public init(registry: TenantRegistry, signer: TokenSigner, pool: NIOThreadPool, hasher: PasswordHasher = .owasp,
                clock: any WallClock = SystemWallClock(), throttle: LoginThrottle = LoginThrottle(),
                signupRules: SignupRules = SignupRules(policy: .open, perAddressPerHour: .max)) {
        self.registry = registry
        self.signupRules = signupRules
        self.signupThrottle = LoginThrottle(window: 3_600_000, perEmail: .max, perAddress: max(1, signupRules.perAddressPerHour))
        self.signer = signer
        self.pool = pool
        self.hasher = hasher
        self.clock = clock
        self.throttle = throttle
        self.decoyHash = hasher.hash(UUID().uuidString)
    }

    /// A successful sign-up or log-in.
    public struct Session: Sendable {
        public let token: String
        public let account: Account
    }

    /// The longest email accepted, in Unicode scalars after trimming.
    public static let maxEmailScalars = 254

    /// Refuses an email longer than ``maxEmailScalars`` (422) before any other work; such an
    /// email is never looked up, hashed or used as a throttle key.
    public static func checkLength(email: String) throws(DomainError) {
        // Cheap first: at most 4 bytes a scalar, and trimming never grows a text.
        guard email.utf8.count > maxEmailScalars else { return }
        if email.utf8.count > 4 * maxEmailScalars + 1024
            || email.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.count > maxEmailScalars {
            throw DomainError(.invalid, "email must be at most \(maxEmailScalars) characters")
        }
    }

    /// Trimmed, lower-cased, and checked for a plausible shape.
    public static func normalize(email: String) throws(DomainError) -> String {
        try checkLength(email: email)
        let e = email.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard e.unicodeScalars.count <= maxEmailScalars, e.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) != nil else {
            throw DomainError(.invalid, "email must be a valid email address")
        }
        return e
    }

    /// Checks the password rules (8 to 1024 characters).
    public static func validate(password: String) throws(DomainError) {
        guard (8...1024).contains(password.count) else {
            throw DomainError(.invalid, "password must be 8 to 1024 characters")
        }
    }

    /// Hashes off the event loop.
    public func hash(_ password: String) async throws(DomainError) -> String {
        let hasher = self.hasher
        do {
            return try await pool.runIfActive { hasher.hash(password) }
        } catch {
            throw DomainError(.storageUnavailable, "the server is shutting down")
        }
    }

    func verify(_ password: String, hash: String) async -> Bool {
        let hasher = self.hasher
        return (try? await pool.runIfActive { hasher.verify(password, hash: hash) }) ?? false
    }

    /// A sign-up through the API, under the sign-up rules. Checks run in this order: 422 (email or
    /// password shape), 403 (policy or invite), 429 (too many sign-ups from this address), 409
    /// (email taken). A valid invite works under every policy; only sign-ups without one are
    /// throttled. The invite is recorded used, durably, before the account is made.
    public func signup(email rawEmail: String, password: String, invite: String?, clientAddress: String?) async throws(DomainError) -> Session {
        let email = try Self.normalize(email: rawEmail)
        try Self.validate(password: password)
        let now = clock.now()
        if let invite {
            guard let book = signupRules.invites else { throw InviteBook.invalid }
            let claim = try book.claim(code: invite, email: email, now: now)
            if registry.tenantID(forEmail: email) != nil {
                book.release(claim, now: now)
                throw DomainError(.emailTaken, "an account with this email already exists")
            }
            try book.consume(claim, userID: nil, now: now)
            do {
                return try await createAccount(email: email, password: password)
            } catch {
                book.release(claim, now: clock.now())
                throw error
            }
        }
        switch signupRules.policy {
        case .closed:
            throw DomainError(.signupClosed, SignupRules.howToGetAnAccount)
        case .first:
            guard registry.tenantIDs.isEmpty else { throw DomainError(.signupClosed, SignupRules.howToGetAnAccount) }
            return try await createAccount(email: email, password: password, onlyIfFirst: true)
        case .open:
            if case .failure(let refused) = signupThrottle.begin(email: "", address: clientAddress ?? "unknown", now: now) {
                throw DomainError(.throttled, "too many sign-ups from this address; try again in \(refused.retryAfter) seconds",
                                  retryAfter: refused.retryAfter)
            }
            return try await createAccount(email: email, password: password)
        }
    }

    /// Makes the account of a normalised, validated email (409 when it is taken) and its session.
    func createAccount(email: String, password: String, onlyIfFirst: Bool = false) async throws(DomainError) -> Session {
        if registry.tenantID(forEmail: email) != nil { throw DomainError(.emailTaken, "an account with this email already exists") }
        let hash = try await hash(password)
        let tenant = try await registry.create(email: email, passwordHash: hash, onlyIfFirst: onlyIfFirst)
        guard let account = await tenant.account else { throw DomainError(.storageUnavailable, "account not stored") }
        return Session(token: signer.sign(userID: tenant.id, now: clock.now() / 1000), account: account)
    }

    /// Creates an account and its tenant folder, whatever the sign-up policy (the operator's
    /// `user add`, demo data).
    public func signup(email rawEmail: String, password: String) async throws(DomainError) -> Session {
        let email = try Self.normalize(email: rawEmail)
        try Self.validate(password: password)
        return try await createAccount(email: email, password: password)
    }

    /// Logs in; throttled per email and per client address.
    public func login(email rawEmail: String, password: String, clientAddress: String?) async throws(DomainError) -> Session {
        try Self.checkLength(email: rawEmail)
        let email = rawEmail.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let id = registry.tenantID(forEmail: email) { _ = try registry.tenant(id) }
        // Counted when it starts: concurrent wrong passwords cannot all slip past the check.
        let attempt: LoginThrottle.Attempt
        switch throttle.begin(email: email, address: clientAddress, now: clock.now()) {
        case .success(let counted): attempt = counted
        case .failure(let refused):
            throw DomainError(.throttled, "too many failed logins; try again in \(refused.retryAfter) seconds", retryAfter: refused.retryAfter)
        }
        let tenant = registry.tenantID(forEmail: email).flatMap { try? registry.tenant($0) }
        let account = await tenant?.account
        let ok = await verify(password, hash: account?.passwordHash ?? decoyHash)
        guard ok, let tenant, let account else {
            throw DomainError(.badCredentials, "wrong email or password")
        }
        throttle.succeeded(attempt)
        return Session(token: signer.sign(userID: tenant.id, now: clock.now() / 1000), account: account)
    }

    /// The tenant a bearer token belongs to. Refuses expired tokens, tokens of unknown tenants
    /// and tokens issued before the last password change.
    public func authenticate(token: String) async throws(DomainError) -> (Tenant, TokenSigner.Claims) {
        let claims = try signer.verify(token, now: clock.now() / 1000)
        let tenant: Tenant
        do {
            tenant = try registry.tenant(claims.userID)
        } catch let error where error.code == .notFound {
            throw DomainError(.unauthorized, "token does not belong to an account")
        }
        if let changed = await tenant.account?.passwordChangedAt, claims.issuedAt < changed / 1000 {
            throw DomainError(.unauthorized, "token was issued before the password changed; log in again")
        }
        return (tenant, claims)
    }

    /// Sets a new password for `email`.
    public func resetPassword(email rawEmail: String, password: String) async throws(DomainError) {
        let email = try Self.normalize(email: rawEmail)
        try Self.validate(password: password)
        guard let id = registry.tenantID(forEmail: email) else { throw DomainError(.notFound, "no account with email \(email)") }
        let tenant = try registry.tenant(id)
        let hash = try await hash(password)
        try await tenant.setPassword(hash: hash)
    }
}
