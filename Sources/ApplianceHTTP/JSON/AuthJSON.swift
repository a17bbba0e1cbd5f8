/// Sign-up and log-in answers.
struct SessionJSON: Encodable {
    struct User: Encodable { let id: Int; let email: String }
    let access_token: String
    let token_type = "bearer"
    let user: User
}

/// `GET /auth/me`.
struct MeJSON: Encodable {
    let id: Int
    let email: String
    let webhook_url: String
}

/// Credentials in a sign-up or log-in body.
struct CredentialsJSON: Decodable {
    let email: String
    let password: String
}

/// `POST auth/signup`: the credentials and, from an invite link, its code.
struct SignupJSON: Decodable {
    let email: String
    let password: String
    let invite: String?
}

/// A rejected delivery in the listing.
struct RejectedJSON: Encodable {
    let received_at: String
    let topic: String?
    let webhook_id: String?
    let reason: String
    let bytes: Int

    enum CodingKeys: String, CodingKey { case received_at, topic, webhook_id, reason, bytes }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(received_at, forKey: .received_at)
        try c.encode(topic, forKey: .topic)
        try c.encode(webhook_id, forKey: .webhook_id)
        try c.encode(reason, forKey: .reason)
        try c.encode(bytes, forKey: .bytes)
    }
}
