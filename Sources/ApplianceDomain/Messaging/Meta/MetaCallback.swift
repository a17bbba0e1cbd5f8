/// One Cloud API notification from Meta, as the HTTP edge received it.
public struct MetaCallback: Sendable {
    /// `X-Hub-Signature-256`.
    public var signature: String?
    /// The raw body bytes, exactly as received.
    public var body: [UInt8]

    public init(signature: String?, body: [UInt8]) {
        self.signature = signature
        self.body = body
    }
}
