import ApplianceDomain

/// The API shape of Settings: write-only secrets read back as `<field>_set`.
struct SettingsJSON: Encodable {
    let settings: Settings
    let webhookURL: String
    let shopDomain: String?

    enum Keys: String, CodingKey {
        case webhook_url, shop_name, shopify_webhook_secret_set, confirmation_delay_minutes, confirmation_mode
        case message_template, whatsapp_provider, cloud, timezone, quiet_hours, placeholders, shopify
    }

    enum ShopifyKeys: String, CodingKey {
        case shop_domain, admin_access_token_set, confirm_tag, cancel_tag, cancel_orders, restock, hold_reason
    }

    enum CloudKeys: String, CodingKey {
        case phone_number_id, access_token_set, template_name, template_language, app_secret_set, verify_token
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(webhookURL, forKey: .webhook_url)
        try c.encode(settings.shopName ?? shopDomain, forKey: .shop_name)
        try c.encode(settings.shopifyWebhookSecret != nil, forKey: .shopify_webhook_secret_set)
        try c.encode(settings.confirmationDelayMinutes, forKey: .confirmation_delay_minutes)
        try c.encode(settings.confirmationMode.rawValue, forKey: .confirmation_mode)
        try c.encode(settings.effectiveTemplate, forKey: .message_template)
        try c.encode(settings.whatsappProvider.rawValue, forKey: .whatsapp_provider)
        var cloud = c.nestedContainer(keyedBy: CloudKeys.self, forKey: .cloud)
        try cloud.encode(settings.cloud.phoneNumberID, forKey: .phone_number_id)
        try cloud.encode(settings.cloud.accessToken != nil, forKey: .access_token_set)
        try cloud.encode(settings.cloud.templateName, forKey: .template_name)
        try cloud.encode(settings.cloud.templateLanguage, forKey: .template_language)
        try cloud.encode(settings.cloud.appSecret != nil, forKey: .app_secret_set)
        try cloud.encode(settings.cloud.verifyToken, forKey: .verify_token)
        try c.encode(settings.timezone, forKey: .timezone)
        if let q = settings.quietHours {
            try c.encode(["start": q.start, "end": q.end], forKey: .quiet_hours)
        } else {
            try c.encodeNil(forKey: .quiet_hours)
        }
        try c.encode(Settings.placeholders.map { "{\($0)}" }, forKey: .placeholders)
        let shopify = settings.shopify
        var sh = c.nestedContainer(keyedBy: ShopifyKeys.self, forKey: .shopify)
        try sh.encode(settings.shopifyDomain(latestDelivery: shopDomain), forKey: .shop_domain)
        try sh.encode(shopify.adminAccessToken != nil, forKey: .admin_access_token_set)
        try sh.encode(shopify.effectiveConfirmTag, forKey: .confirm_tag)
        try sh.encode(shopify.effectiveCancelTag, forKey: .cancel_tag)
        try sh.encode(shopify.effectiveCancelOrders, forKey: .cancel_orders)
        try sh.encode(shopify.effectiveRestock, forKey: .restock)
        // Read-only: why write-backs are held (Shopify refused the token), or null.
        try sh.encode(shopify.hold, forKey: .hold_reason)
    }
}
