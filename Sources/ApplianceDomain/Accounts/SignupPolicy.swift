/// Who may sign up through the API (`serve --signup`, `SIGNUP`).
public enum SignupPolicy: String, Sendable, CaseIterable {
    /// Anyone, throttled per client address.
    case open
    /// Only the first account of a data directory that has none (the dashboard's first-run
    /// form); later ones need an invite. The default.
    case first
    /// Nobody without an invite.
    case closed
}

/// The sign-up rules `AccountService` applies.
public struct SignupRules: Sendable {
    public var policy: SignupPolicy
    /// Sign-ups without an invite per client address per hour (policy `open`).
    public var perAddressPerHour: Int
    /// The data root's invites; nil → no invite is valid.
    public var invites: InviteBook?

    public init(policy: SignupPolicy = .first, perAddressPerHour: Int = 10, invites: InviteBook? = nil) {
        self.policy = policy
        self.perAddressPerHour = perAddressPerHour
        self.invites = invites
    }

    /// What a refused sign-up tells the visitor.
    static let howToGetAnAccount = "sign-up is closed on this server; ask its operator for an invite link (shopify-whatsapp user invite)"
}
