/// A tenant's settings. Secrets (`shopifyWebhookSecret`, `cloud.accessToken`, `cloud.appSecret`)
/// are write-only at the API: reads show only whether they are set.
public struct Settings: Codable, Sendable, Equatable {
    /// How the confirmation message works.
    public enum ConfirmationMode: String, Codable, Sendable, CaseIterable { case notify, ask }
    /// Which WhatsApp transport sends messages.
    public enum Provider: String, Codable, Sendable, CaseIterable { case web, cloud, log }

    /// WhatsApp Cloud API settings.
    public struct Cloud: Codable, Sendable, Equatable {
        public var phoneNumberID: String?
        public var accessToken: String?
        public var templateName: String?
        public var templateLanguage: String?
        public var appSecret: String?
        public var verifyToken: String?

        public init() {}

        enum CodingKeys: String, CodingKey {
            case phoneNumberID = "phone_number_id", accessToken = "access_token", templateName = "template_name"
            case templateLanguage = "template_language", appSecret = "app_secret", verifyToken = "verify_token"
        }
    }

    /// A daily window (tenant-local) in which no message is sent.
    public struct QuietHours: Codable, Sendable, Equatable {
        /// "HH:MM"
        public var start: String
        /// "HH:MM"
        public var end: String

        public init(start: String, end: String) {
            self.start = start
            self.end = end
        }
    }

    /// The default notify-mode template, in the spirit of the original guide.
    public static let defaultNotifyTemplate =
        "Hello {customer_name}, your order {order_number} of {currency} {total_price} is confirmed! Thank you for shopping with {shop_name}."
    /// The default ask-mode template, with numbered choices.
    public static let defaultAskTemplate =
        "Hello {customer_name}, please confirm your order {order_number} of {currency} {total_price} from {shop_name}.\nReply 1 to confirm or 2 to cancel."
    /// Placeholders a template may use.
    public static let placeholders = ["customer_name", "order_number", "total_price", "currency", "slot", "shop_name"]

    public var shopName: String?
    public var shopifyWebhookSecret: String?
    public var confirmationDelayMinutes: Double = 30
    public var confirmationMode: ConfirmationMode = .notify
    /// nil means the default template of the current mode.
    public var messageTemplate: String?
    public var whatsappProvider: Provider = .web
    public var cloud = Cloud()
    public var timezone: String = "UTC"
    public var quietHours: QuietHours?
    /// Why the tenant's jobs are on hold after a provider error (bad token, template rejected),
    /// or nil. Kept with the settings so the hold survives a restart; any settings change
    /// clears it. Not part of the API's Settings object.
    public var providerHold: String?
    /// Shopify write-back (see ``shopify``); nil while every field has its default.
    var shopifyStored: Shopify?

    public init() {}

    /// The template in force: the merchant's, or the default of the current mode.
    public var effectiveTemplate: String {
        messageTemplate ?? (confirmationMode == .ask ? Self.defaultAskTemplate : Self.defaultNotifyTemplate)
    }

    enum CodingKeys: String, CodingKey {
        case shopName = "shop_name", shopifyWebhookSecret = "shopify_webhook_secret"
        case confirmationDelayMinutes = "confirmation_delay_minutes", confirmationMode = "confirmation_mode"
        case messageTemplate = "message_template", whatsappProvider = "whatsapp_provider", cloud, timezone
        case quietHours = "quiet_hours", providerHold = "provider_hold", shopifyStored = "shopify"
    }
}
