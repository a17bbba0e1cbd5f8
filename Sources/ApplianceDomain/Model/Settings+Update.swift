import ApplianceCoding
import Foundation

extension Settings {
    /// Fields a `PUT` may carry but that are read-only; they are ignored.
    static let readOnlyFields: Set<String> = ["webhook_url", "shopify_webhook_secret_set"]

    /// The settings after applying a partial update (a decoded JSON object): only the fields
    /// present change, `cloud` merges field by field, `null`/`""` clears a write-only secret.
    /// Throws `invalid` naming the first bad field; nothing is applied then.
    public func applying(_ patch: [String: JSONValue]) throws(DomainError) -> Settings {
        var s = self
        for (key, value) in patch {
            switch key {
            case "shop_name":
                s.shopName = try Self.optionalString(value, field: key, max: 200)
            case "shopify_webhook_secret":
                s.shopifyWebhookSecret = try Self.optionalString(value, field: key, max: 512)
            case "confirmation_delay_minutes":
                guard case .number(let n) = value, n.isFinite, n >= 0, n <= 10_080
                else { throw DomainError(.invalid, "confirmation_delay_minutes must be a number from 0 to 10080 (one week)") }
                s.confirmationDelayMinutes = n
            case "confirmation_mode":
                guard let v = value.stringValue, let mode = ConfirmationMode(rawValue: v)
                else { throw DomainError(.invalid, "confirmation_mode must be \"notify\" or \"ask\"") }
                s.confirmationMode = mode
            case "message_template":
                if value.isNull { s.messageTemplate = nil; continue }
                guard let v = value.stringValue else { throw DomainError(.invalid, "message_template must be a string") }
                let trimmed = v.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty { s.messageTemplate = nil; continue }
                guard trimmed.count <= 1024 else { throw DomainError(.invalid, "message_template must be at most 1024 characters") }
                if let unknown = Self.unknownPlaceholder(in: trimmed) {
                    throw DomainError(.invalid, "message_template has unknown placeholder {\(unknown)}; use \(Self.placeholders.map { "{\($0)}" }.joined(separator: ", "))")
                }
                s.messageTemplate = trimmed
            case "whatsapp_provider":
                guard let v = value.stringValue, let p = Provider(rawValue: v)
                else { throw DomainError(.invalid, "whatsapp_provider must be \"web\", \"cloud\" or \"log\"") }
                s.whatsappProvider = p
            case "cloud":
                guard case .object(let object) = value else { throw DomainError(.invalid, "cloud must be an object") }
                s.cloud = try s.cloud.applying(object)
            case "shopify":
                guard case .object(let object) = value else { throw DomainError(.invalid, "shopify must be an object") }
                s.shopify = try s.shopify.applying(object)
            case "timezone":
                guard let v = value.stringValue, TimeZone(identifier: v) != nil
                else { throw DomainError(.invalid, "timezone must be an IANA time zone name such as \"Europe/Paris\"") }
                s.timezone = v
            case "quiet_hours":
                if value.isNull { s.quietHours = nil; continue }
                guard case .object(let object) = value, let start = object["start"]?.stringValue, let end = object["end"]?.stringValue,
                      Self.minutes(start) != nil, Self.minutes(end) != nil, start != end
                else { throw DomainError(.invalid, "quiet_hours must be null or {\"start\": \"HH:MM\", \"end\": \"HH:MM\"} with different times") }
                s.quietHours = QuietHours(start: start, end: end)
            default:
                if Self.readOnlyFields.contains(key) { continue }
                throw DomainError(.invalid, "\(key) is not a setting")
            }
        }
        return s
    }

    /// The first `{name}` in `template` that is not a known placeholder.
    static func unknownPlaceholder(in template: String) -> String? {
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return nil }
            let name = String(rest[rest.index(after: open)..<close])
            if !placeholders.contains(name) { return name }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    static func optionalString(_ value: JSONValue, field: String, max: Int) throws(DomainError) -> String? {
        if value.isNull { return nil }
        guard let v = value.stringValue else { throw DomainError(.invalid, "\(field) must be a string or null") }
        let t = v.trimmingCharacters(in: .whitespacesAndNewlines)
        guard t.count <= max else { throw DomainError(.invalid, "\(field) must be at most \(max) characters") }
        return t.isEmpty ? nil : t
    }
}

extension Settings.Cloud {
    static let readOnlyFields: Set<String> = ["access_token_set", "app_secret_set"]

    func applying(_ patch: [String: JSONValue]) throws(DomainError) -> Settings.Cloud {
        var c = self
        for (key, value) in patch {
            let field = "cloud.\(key)"
            switch key {
            case "phone_number_id":
                let v = try Settings.optionalString(value, field: field, max: 64)
                if let v, !v.allSatisfy(\.isNumber) { throw DomainError(.invalid, "\(field) must be digits") }
                c.phoneNumberID = v
            case "access_token": c.accessToken = try Settings.optionalString(value, field: field, max: 4096)
            case "template_name":
                let v = try Settings.optionalString(value, field: field, max: 512)
                if let v, !v.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "_" }) {
                    throw DomainError(.invalid, "\(field) must use lower-case letters, digits and underscores")
                }
                c.templateName = v
            case "template_language":
                let v = try Settings.optionalString(value, field: field, max: 16)
                if let v, v.range(of: #"^[a-z]{2,3}(_[A-Z]{2})?$"#, options: .regularExpression) == nil {
                    throw DomainError(.invalid, "\(field) must be a language code such as en or en_US")
                }
                c.templateLanguage = v
            case "app_secret": c.appSecret = try Settings.optionalString(value, field: field, max: 512)
            case "verify_token": c.verifyToken = try Settings.optionalString(value, field: field, max: 512)
            default:
                if Self.readOnlyFields.contains(key) { continue }
                throw DomainError(.invalid, "\(field) is not a setting")
            }
        }
        return c
    }
}
