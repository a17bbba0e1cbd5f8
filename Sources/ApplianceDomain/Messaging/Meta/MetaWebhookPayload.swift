/// The parts of a WhatsApp Cloud API webhook (`object: whatsapp_business_account`) the product
/// uses: message statuses and customers' inbound messages.
public struct MetaWebhookPayload: Decodable, Sendable {
    public struct Entry: Decodable, Sendable {
        public var changes: [Change]?
    }

    public struct Change: Decodable, Sendable {
        public var field: String?
        public var value: Value?
    }

    public struct Value: Decodable, Sendable {
        public var messages: [Inbound]?
        public var statuses: [Status]?
    }

    /// A customer's message.
    public struct Inbound: Decodable, Sendable {
        public struct Text: Decodable, Sendable { public var body: String? }
        public struct Button: Decodable, Sendable { public var payload: String?; public var text: String? }
        public struct Interactive: Decodable, Sendable {
            public struct Reply: Decodable, Sendable { public var id: String?; public var title: String? }
            public var type: String?
            public var buttonReply: Reply?
            enum CodingKeys: String, CodingKey { case type, buttonReply = "button_reply" }
        }
        public struct Context: Decodable, Sendable { public var from: String?; public var id: String? }

        public var id: String?
        public var from: String?
        public var timestamp: String?
        public var type: String?
        public var text: Text?
        public var button: Button?
        public var interactive: Interactive?
        public var context: Context?

        /// The reply's payload (template quick reply or interactive button id), if any.
        public var payload: String? { button?.payload ?? interactive?.buttonReply?.id }
        /// The reply as text (typed text, or a button's title).
        public var replyText: String? { text?.body ?? button?.text ?? interactive?.buttonReply?.title }
    }

    /// A status of a message the business sent.
    public struct Status: Decodable, Sendable {
        public struct StatusError: Decodable, Sendable {
            public var code: Int?
            public var title: String?
            public var message: String?
        }
        /// The wamid of our message.
        public var id: String?
        /// sent, delivered, read, failed (or played).
        public var status: String?
        public var timestamp: String?
        public var recipientID: String?
        public var errors: [StatusError]?
        enum CodingKeys: String, CodingKey { case id, status, timestamp, recipientID = "recipient_id", errors }
    }

    public var object: String?
    public var entry: [Entry]?

    /// Every status in the payload.
    public var statuses: [Status] { (entry ?? []).flatMap { ($0.changes ?? []).flatMap { $0.value?.statuses ?? [] } } }
    /// Every inbound message in the payload.
    public var messages: [Inbound] { (entry ?? []).flatMap { ($0.changes ?? []).flatMap { $0.value?.messages ?? [] } } }
}
