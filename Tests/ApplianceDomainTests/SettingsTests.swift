import ApplianceCoding
import Foundation
import Testing
@testable import ApplianceDomain

@Suite struct SettingsTests {
    func patch(_ json: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(json.utf8))
    }

    @Test func partialUpdateMergesCloudFieldByField() throws {
        var s = Settings()
        s = try s.applying(try patch(#"{"confirmation_delay_minutes": 2.5, "cloud": {"phone_number_id": "123", "access_token": "tok"}}"#))
        s = try s.applying(try patch(#"{"cloud": {"template_name": "order_confirmation"}}"#))
        #expect(s.confirmationDelayMinutes == 2.5)
        #expect(s.cloud.phoneNumberID == "123")
        #expect(s.cloud.accessToken == "tok")
        #expect(s.cloud.templateName == "order_confirmation")
        s = try s.applying(try patch(#"{"cloud": {"access_token": null}, "shopify_webhook_secret": ""}"#))
        #expect(s.cloud.accessToken == nil)
        #expect(s.shopifyWebhookSecret == nil)
    }

    @Test(arguments: [
        (#"{"confirmation_delay_minutes": -1}"#, "confirmation_delay_minutes"),
        (#"{"confirmation_delay_minutes": "5"}"#, "confirmation_delay_minutes"),
        (#"{"confirmation_delay_minutes": true}"#, "confirmation_delay_minutes"),
        (#"{"confirmation_mode": "shout"}"#, "confirmation_mode"),
        (#"{"whatsapp_provider": "sms"}"#, "whatsapp_provider"),
        (#"{"timezone": "Mars/Olympus"}"#, "timezone"),
        (#"{"quiet_hours": {"start": "25:00", "end": "07:00"}}"#, "quiet_hours"),
        (#"{"message_template": "Hi {name}"}"#, "message_template"),
        (#"{"cloud": {"template_language": "english"}}"#, "cloud.template_language"),
        (#"{"cloud": {"phone_number_id": "12ab"}}"#, "cloud.phone_number_id"),
        (#"{"colour": "blue"}"#, "colour"),
    ])
    func invalidValuesNameTheField(json: String, field: String) throws {
        let before = Settings()
        let parsed = try patch(json)
        do {
            _ = try before.applying(parsed)
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.code == .invalid)
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    @Test func templatePlaceholdersAndDefaults() throws {
        var s = Settings()
        #expect(s.effectiveTemplate.contains("{customer_name}"))
        s.confirmationMode = .ask
        #expect(s.effectiveTemplate.contains("Reply 1 to confirm"))
        s = try s.applying(try patch(#"{"message_template": "Hi {customer_name}, {order_number} {slot} {shop_name} {currency}{total_price}"}"#))
        #expect(s.messageTemplate?.hasPrefix("Hi {customer_name}") == true)
    }

    @Test func quietHoursMoveTheDueTimeToTheWindowEnd() throws {
        var s = Settings()
        s.timezone = "Europe/Paris"
        s.quietHours = .init(start: "22:00", end: "08:00")
        s.confirmationDelayMinutes = 0
        // 2026-01-15 02:00 UTC = 03:00 in Paris (winter, UTC+1): inside the window → 08:00 Paris = 07:00 UTC.
        let t = try #require(Timestamp.parse("2026-01-15T02:00:00Z"))
        #expect(s.scheduledAt(createdAt: t, now: t) == Timestamp.parse("2026-01-15T07:00:00Z"))
        // 12:00 Paris is outside.
        let noon = try #require(Timestamp.parse("2026-01-15T11:00:00Z"))
        #expect(s.scheduledAt(createdAt: noon, now: noon) == noon)
        // 23:30 Paris → next morning 08:00.
        let late = try #require(Timestamp.parse("2026-01-15T22:30:00Z"))
        #expect(s.scheduledAt(createdAt: late, now: late) == Timestamp.parse("2026-01-16T07:00:00Z"))
    }

    @Test func futureCreatedAtUsesArrival() {
        var s = Settings()
        s.confirmationDelayMinutes = 0.5
        #expect(s.scheduledAt(createdAt: 10_000_000, now: 1_000) == 31_000)
    }
}
